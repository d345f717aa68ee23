import { TestContext } from './context';
import { ReceivedHook, WebhookReceiver } from './webhook-receiver';

export interface SmsText {
  to: string;
  text: string;
}

/** A local phone number (`09…`) as the gateway addresses it (E.164). */
export const e164 = (local: string) => `+84${local.slice(1)}`;

export const smsOf = (hook: ReceivedHook): SmsText => JSON.parse(hook.body) as SmsText;

/** The SMS gateway's `http` adapter's endpoint, as a provider would receive it: the texts sent to each phone. */
export class SmsInbox extends WebhookReceiver {
  textsTo(phone: string): SmsText[] {
    return this.received.map(smsOf).filter((message) => message.to === e164(phone));
  }

  /** The phone's `count`-th text, once it has come (polled with a deadline). */
  waitForText(ctx: TestContext, phone: string, count = 1): Promise<SmsText> {
    return ctx.waitFor(
      () => {
        const texts = this.textsTo(phone);
        return Promise.resolve(texts.length >= count ? texts[count - 1] : undefined);
      },
      10_000,
      `SMS ${count} to ${phone}`,
    );
  }
}
