import { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { LeadEvent } from './consultations.queues';

export interface DeliveryRow {
  requestId: string;
  event: LeadEvent;
  agencyId: string;
  deliveredAt: Date | null;
  url: string;
  secretEncrypted: string;
}

/** Agencies' webhook endpoints and one delivery row per assigned request. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async saveWebhook(tx: Tx, agencyId: string, url: string, secretEncrypted: string): Promise<void> {
    await tx.query(
      `INSERT INTO agency_webhooks (agency_id, url, secret_encrypted) VALUES ($1, $2, $3)
       ON CONFLICT (agency_id) DO UPDATE SET url = EXCLUDED.url, secret_encrypted = EXCLUDED.secret_encrypted,
         updated_at = now()`,
      [agencyId, url, secretEncrypted],
    );
  }

  /**
   * Opens the delivery of an event about a request when its agency has a webhook; false when there is none
   * (or the delivery exists).
   */
  async openDelivery(tx: Tx, requestId: string, agencyId: string, event: LeadEvent): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO webhook_deliveries (request_id, agency_id, event)
       SELECT $1, agency_id, $3 FROM agency_webhooks WHERE agency_id = $2
       ON CONFLICT (request_id, event) DO NOTHING RETURNING request_id`,
      [requestId, agencyId, event],
    );
    return rows.length > 0;
  }

  /** Drops an undelivered event: a withdrawn or erased lead's details are never sent afterwards. */
  async cancelDelivery(tx: Tx, requestId: string, event: LeadEvent): Promise<void> {
    await tx.query(
      `DELETE FROM webhook_deliveries WHERE request_id = $1 AND event = $2 AND delivered_at IS NULL`,
      [requestId, event],
    );
  }

  async findDelivery(requestId: string, event: LeadEvent): Promise<DeliveryRow | undefined> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT d.request_id AS "requestId", d.event, d.agency_id AS "agencyId", d.delivered_at AS "deliveredAt",
         w.url, w.secret_encrypted AS "secretEncrypted"
       FROM webhook_deliveries d JOIN agency_webhooks w ON w.agency_id = d.agency_id
       WHERE d.request_id = $1 AND d.event = $2`,
      [requestId, event],
    );
    return rows[0];
  }

  async recordDeliveryAttempt(requestId: string, event: LeadEvent, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $3::text, updated_at = now(),
         delivered_at = CASE WHEN $3::text IS NULL THEN now() ELSE delivered_at END
       WHERE request_id = $1 AND event = $2 AND delivered_at IS NULL`,
      [requestId, event, error],
    );
  }

  /** Deliveries not done after `olderThanSeconds` that still have attempts left. */
  findStalledDeliveries(
    olderThanSeconds: number,
    limit: number,
  ): Promise<{ requestId: string; event: LeadEvent }[]> {
    return this.dataSource.query(
      `SELECT request_id AS "requestId", event FROM webhook_deliveries
       WHERE delivered_at IS NULL AND attempts < 20 AND updated_at < now() - make_interval(secs => $1)
       ORDER BY updated_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
  }
}
