import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

import { Outbox, PersonalDataCipher, Tx } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';

import { ApplicantQueue } from './applicants.queues';
import { APPLICANT_SETTINGS, ApplicantSettings } from './applicants.settings';
import { SMS_GATEWAY, SmsGateway } from './sms.gateway';
import { SmsMessagesRepository } from './sms-messages.repository';

/**
 * Text messages to applicants. A message is stored encrypted and queued through the outbox in the caller's
 * transaction; the worker sends it through the configured gateway and then deletes it.
 */
@Injectable()
export class SmsService {
  constructor(
    private readonly repository: SmsMessagesRepository,
    private readonly outbox: Outbox,
    private readonly cipher: PersonalDataCipher,
    @Inject(SMS_GATEWAY) private readonly gateway: SmsGateway,
    @Inject(APPLICANT_SETTINGS.token) private readonly settings: ApplicantSettings,
  ) {}

  async send(tx: Tx, to: string, text: string): Promise<void> {
    const id = randomUUID();
    await this.repository.insert(tx, id, this.cipher.encrypt(to), this.cipher.encrypt(text));
    await this.outbox.enqueue(tx, ApplicantQueue.Sms, `sms-${id}`, { messageId: id });
  }

  /**
   * Many texts in the caller's transaction, in two statements whatever their number (an alert fan-out); with
   * `notBefore`, they leave then.
   */
  async sendMany(tx: Tx, messages: readonly { to: string; text: string }[], notBefore?: Date): Promise<void> {
    if (messages.length === 0) return;
    const ids = messages.map(() => randomUUID());
    await this.repository.insertMany(
      tx,
      messages.map((message, i) => ({
        id: ids[i],
        toEncrypted: this.cipher.encrypt(message.to),
        textEncrypted: this.cipher.encrypt(message.text),
      })),
    );
    await this.outbox.enqueueMany(
      tx,
      ApplicantQueue.Sms,
      ids.map((id) => ({ jobId: `sms-${id}`, payload: { messageId: id } })),
      notBefore,
    );
  }

  /**
   * Whether a message the provider sent us (an inbound text) carries `X-Signature: sha256=<hex HMAC of the
   * body>` under SMS_HTTP_SECRET, as our own requests to it do. Without the http provider nothing is.
   */
  isSignedByProvider(rawBody: string, signature: string | undefined): boolean {
    if (this.settings.sms.provider !== 'http' || !signature) return false;
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', this.settings.sms.secret).update(rawBody).digest('hex')}`,
    );
    const actual = Buffer.from(signature);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /**
   * The worker's step: sends a stored message once. A failure is recorded and thrown for a retry; after the
   * last attempt the message is deleted all the same.
   */
  async deliver(messageId: string, lastAttempt: boolean): Promise<'sent' | 'nothing to send'> {
    const message = await this.repository.findPending(messageId);
    if (!message) return 'nothing to send';
    try {
      await this.gateway.send(
        this.cipher.decrypt(message.toEncrypted),
        this.cipher.decrypt(message.textEncrypted),
      );
    } catch (error) {
      if (lastAttempt) await this.repository.delete(messageId);
      else
        await this.repository.recordFailure(
          messageId,
          error instanceof Error ? error.message.slice(0, 200) : 'send failed',
        );
      throw error;
    }
    await this.repository.delete(messageId);
    return 'sent';
  }
}
