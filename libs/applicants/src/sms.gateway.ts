import { createHmac } from 'node:crypto';

import { Logger } from '@nestjs/common';

import type { ApplicantSettings } from './applicants.settings';

const TIMEOUT_MS = 5000;

/** Sends one text to one phone (E.164); throws when the provider did not take it, so the job is retried. */
export interface SmsGateway {
  send(to: string, text: string): Promise<void>;
}

export const SMS_GATEWAY = Symbol('SMS gateway');

/**
 * A provider reached over HTTP (an SMS or Zalo gateway): `{ to, text }` as JSON, signed like the agencies'
 * webhooks with `X-Signature: sha256=<hex HMAC of the body>`.
 */
export class HttpSmsGateway implements SmsGateway {
  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {}

  async send(to: string, text: string): Promise<void> {
    const body = JSON.stringify({ to, text });
    const signature = createHmac('sha256', this.secret).update(body).digest('hex');
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': `sha256=${signature}` },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`SMS provider answered HTTP ${response.status}`);
  }
}

/** Local development: the text on the terminal (never in the logs), the phone masked. */
export class ConsoleSmsGateway implements SmsGateway {
  private readonly logger = new Logger('SMS');

  send(to: string, text: string): Promise<void> {
    process.stdout.write(`\n[SMS to ${maskPhone(to)}] ${text}\n\n`);
    this.logger.log('SMS shown on the terminal');
    return Promise.resolve();
  }
}

export function maskPhone(e164: string): string {
  return `${e164.slice(0, 3)}${'•'.repeat(Math.max(0, e164.length - 6))}${e164.slice(-3)}`;
}

export function smsGateway(settings: ApplicantSettings['sms']): SmsGateway {
  return settings.provider === 'http'
    ? new HttpSmsGateway(settings.url, settings.secret)
    : new ConsoleSmsGateway();
}
