import { createHmac } from 'node:crypto';

import { createOutboundDispatcher, safeRequest, UnsafeAddressError } from '@app/core';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent } from 'undici';

import { CONSULTATION_SETTINGS, ConsultationSettings } from './consultations.settings';

/** A signed POST to an agency's webhook. */
export interface WebhookMessage {
  url: string;
  body: string;
  /** `sha256=<hex HMAC-SHA256 of the body under the agency's secret>` */
  signature: string;
  /** What the agency drops copies by: the same for every attempt of one event. */
  deliveryId: string;
}

export interface SendResult {
  /** The endpoint answered 2xx. */
  ok: boolean;
  /** The status it answered, if it answered. */
  status?: number;
  /** Why it failed, in a few words: never the answer's body. */
  error?: string;
  /** The send was cut short by the sender closing (the worker stopping): it proves nothing either way. */
  aborted?: boolean;
  durationMs: number;
}

export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs signed events to agencies' webhooks over a keep-alive pool (undici), with short connect and answer
 * timeouts. Connections go only to addresses vetted when they are opened (`createOutboundDispatcher`), so a
 * name cannot be re-pointed at a private address between the check and the call. Never throws: the result
 * says how it went.
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly dispatcher: Agent;
  private readonly allowPrivate: boolean;
  private readonly connectTimeoutMs: number;
  private readonly responseTimeoutMs: number;

  constructor(@Inject(CONSULTATION_SETTINGS.token) settings: ConsultationSettings) {
    this.allowPrivate = settings.webhookAllowPrivate;
    this.connectTimeoutMs = settings.webhooks.connectTimeoutMs;
    this.responseTimeoutMs = settings.webhooks.responseTimeoutMs;
    this.dispatcher = createOutboundDispatcher({
      allowPrivate: this.allowPrivate,
      connectTimeout: this.connectTimeoutMs,
      headersTimeout: this.responseTimeoutMs,
      bodyTimeout: this.responseTimeoutMs,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** Closes the pool; sends still in flight end as `aborted`. */
  async close(): Promise<void> {
    if (!this.dispatcher.destroyed) await this.dispatcher.destroy();
  }

  async send(message: WebhookMessage): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await safeRequest(
        message.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-signature': message.signature,
            'x-delivery-id': message.deliveryId,
          },
          body: message.body,
          headersTimeout: this.responseTimeoutMs,
          bodyTimeout: this.responseTimeoutMs,
        },
        { allowPrivate: this.allowPrivate, dispatcher: this.dispatcher },
      );
      // The answer's body is never read: a small one keeps the connection for the next delivery.
      await response.body.dump({ limit: 16_384 }).catch(() => undefined);
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return {
        ok,
        status: response.statusCode,
        error: ok ? undefined : `HTTP ${response.statusCode}`,
        durationMs: elapsed(),
      };
    } catch (failure) {
      const code = (failure as { code?: unknown }).code;
      if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
        return { ok: false, aborted: true, error: 'sender closed', durationMs: elapsed() };
      }
      return { ok: false, error: this.describe(failure), durationMs: elapsed() };
    }
  }

  /** A failure in a few stable words: no address, body or stack. */
  private describe(failure: unknown): string {
    if (failure instanceof UnsafeAddressError) return `refused: ${failure.reason}`;
    const code = (failure as { code?: unknown }).code;
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return `no connection within ${this.connectTimeoutMs} ms`;
      case 'UND_ERR_HEADERS_TIMEOUT':
        return `no answer within ${this.responseTimeoutMs} ms`;
      case 'UND_ERR_BODY_TIMEOUT':
        return `answer stalled for ${this.responseTimeoutMs} ms`;
      case 'ECONNREFUSED':
        return 'connection refused';
      case 'ECONNRESET':
      case 'EPIPE':
      case 'UND_ERR_SOCKET':
        return 'connection closed before the answer';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return 'host does not resolve';
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return 'host unreachable';
      default:
        if (typeof code === 'string' && /CERT|TLS|SSL/.test(code)) return `TLS: ${code}`;
        return typeof code === 'string' ? `request failed: ${code}` : 'request failed';
    }
  }
}
