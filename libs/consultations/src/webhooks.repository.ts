import { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { LeadEvent } from './consultations.queues';

export type CircuitState = 'closed' | 'open';

export interface WebhookTarget {
  url: string;
  secretEncrypted: string;
}

/** An agency whose webhook has deliveries to send now: its circuit is closed, or open with a probe due. */
export interface DueLane {
  agencyId: string;
  circuitState: CircuitState;
  consecutiveFailures: number;
}

/** A delivery claimed (leased) by this worker. */
export interface ClaimedDelivery {
  requestId: string;
  event: LeadEvent;
  /** Attempts before this one. */
  attempts: number;
  createdAt: Date;
}

export interface DeliveryKey {
  requestId: string;
  event: LeadEvent;
}

/** How one attempt went: `error` null when the endpoint answered 2xx. */
export interface AttemptOutcome extends DeliveryKey {
  deliveryId: string;
  error: string | null;
  /** When a failed delivery may be tried again, in seconds from now. */
  retryInSeconds: number;
  at: Date;
}

export interface CircuitRules {
  /** Consecutive failures that open the circuit. */
  failures: number;
  probeIntervalSeconds: number;
}

/** The circuit after outcomes were recorded, and whether they changed it. */
export interface CircuitAfter {
  before: CircuitState;
  state: CircuitState;
  consecutiveFailures: number;
}

export interface WebhookStatusRow {
  url: string;
  circuitState: CircuitState;
  circuitOpenedAt: Date | null;
  nextProbeAt: Date | null;
  consecutiveFailures: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  recentErrors: { at: string; deliveryId: string; event: string; error: string }[];
  pending: number;
  retrying: number;
  oldestPendingAt: Date | null;
}

export interface WebhookTotals {
  delivered: number;
  failed: number;
  opened: number;
  closed: number;
  circuitsOpen: number;
  circuitsClosed: number;
  pendingClosed: number;
  pendingOpen: number;
}

const RECENT_ERRORS = 10;

// TypeORM answers an UPDATE (also one under WITH) as [rows RETURNING gave, rows affected].

/**
 * Agencies' webhook endpoints with their circuits, and one delivery row per event of an assigned request.
 * The undelivered rows are the delivery queue (see docs/design.md, "Webhook delivery").
 */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Saves the endpoint; a new one starts with a closed circuit and its pending deliveries due now. */
  async saveWebhook(tx: Tx, agencyId: string, url: string, secretEncrypted: string): Promise<void> {
    await tx.query(
      `INSERT INTO agency_webhooks (agency_id, url, secret_encrypted) VALUES ($1, $2, $3)
       ON CONFLICT (agency_id) DO UPDATE SET url = EXCLUDED.url, secret_encrypted = EXCLUDED.secret_encrypted,
         updated_at = now(), circuit_state = 'closed', circuit_opened_at = NULL, next_probe_at = NULL,
         consecutive_failures = 0,
         circuit_closes = agency_webhooks.circuit_closes + (agency_webhooks.circuit_state = 'open')::int`,
      [agencyId, url, secretEncrypted],
    );
    await tx.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now()
       WHERE agency_id = $1 AND delivered_at IS NULL AND next_attempt_at > now()`,
      [agencyId],
    );
  }

  findWebhook(agencyId: string): Promise<WebhookTarget | undefined> {
    return this.dataSource
      .query(`SELECT url, secret_encrypted AS "secretEncrypted" FROM agency_webhooks WHERE agency_id = $1`, [
        agencyId,
      ])
      .then((rows: WebhookTarget[]) => rows[0]);
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

  /** `openDelivery` for several requests at once; returns the ids whose delivery was opened. */
  async openDeliveries(
    tx: Tx,
    requests: { requestId: string; agencyId: string }[],
    event: LeadEvent,
  ): Promise<Set<string>> {
    const rows: { id: string }[] = await tx.query(
      // clock_timestamp() row by row: the dispatcher sends oldest first, so they keep the batch's order.
      `INSERT INTO webhook_deliveries (request_id, agency_id, event, created_at)
       SELECT r.request_id, w.agency_id, $3, clock_timestamp()
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(request_id, agency_id, position)
       JOIN agency_webhooks w ON w.agency_id = r.agency_id
       ORDER BY r.position
       ON CONFLICT (request_id, event) DO NOTHING RETURNING request_id AS id`,
      [requests.map((r) => r.requestId), requests.map((r) => r.agencyId), event],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Drops an undelivered event: a withdrawn or erased lead's details are never sent afterwards. */
  async cancelDelivery(tx: Tx, requestId: string, event: LeadEvent): Promise<void> {
    await tx.query(
      `DELETE FROM webhook_deliveries WHERE request_id = $1 AND event = $2 AND delivered_at IS NULL`,
      [requestId, event],
    );
  }

  /** Undelivered events that can no longer be sent (their lead has no personal data left). */
  async dropDeliveries(keys: DeliveryKey[]): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM webhook_deliveries d USING unnest($1::uuid[], $2::text[]) AS k(request_id, event)
       WHERE d.request_id = k.request_id AND d.event = k.event AND d.delivered_at IS NULL`,
      [keys.map((key) => key.requestId), keys.map((key) => key.event)],
    );
  }

  /**
   * Agencies with something to send now: a closed circuit and an unleased delivery due, or an open circuit
   * whose probe is due and an unleased delivery.
   */
  findDueLanes(): Promise<DueLane[]> {
    return this.dataSource.query(
      `SELECT w.agency_id AS "agencyId", w.circuit_state AS "circuitState",
         w.consecutive_failures AS "consecutiveFailures"
       FROM agency_webhooks w
       WHERE (w.circuit_state = 'closed' OR w.next_probe_at <= now())
         AND EXISTS (SELECT 1 FROM webhook_deliveries d
           WHERE d.agency_id = w.agency_id AND d.delivered_at IS NULL
             AND (d.leased_until IS NULL OR d.leased_until < now())
             AND (d.next_attempt_at <= now() OR w.circuit_state = 'open'))`,
    );
  }

  /**
   * Leases up to `limit` of the agency's due deliveries, oldest first, while its circuit is closed. A probe
   * (`probe`) takes the oldest undelivered one whatever its backoff: it stands for the endpoint, not itself.
   */
  async claim(
    agencyId: string,
    limit: number,
    leaseSeconds: number,
    probe = false,
  ): Promise<ClaimedDelivery[]> {
    const [rows]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `UPDATE webhook_deliveries d SET leased_until = now() + make_interval(secs => $3)
       FROM (SELECT request_id, event FROM webhook_deliveries
             WHERE agency_id = $1 AND delivered_at IS NULL
               AND (leased_until IS NULL OR leased_until < now())
               AND ($4 OR next_attempt_at <= now())
               AND EXISTS (SELECT 1 FROM agency_webhooks w WHERE w.agency_id = $1
                 AND w.circuit_state = CASE WHEN $4 THEN 'open' ELSE 'closed' END)
             ORDER BY created_at, request_id, event LIMIT $2 FOR UPDATE SKIP LOCKED) c
       WHERE d.request_id = c.request_id AND d.event = c.event
       RETURNING d.request_id AS "requestId", d.event, d.attempts, d.created_at AS "createdAt"`,
      [agencyId, limit, leaseSeconds, probe],
    );
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Hands back leases of deliveries that were not sent (a circuit opened, the worker stops). */
  async release(keys: DeliveryKey[]): Promise<void> {
    if (!keys.length) return;
    await this.dataSource.query(
      `UPDATE webhook_deliveries d SET leased_until = NULL
       FROM unnest($1::uuid[], $2::text[]) AS k(request_id, event)
       WHERE d.request_id = k.request_id AND d.event = k.event AND d.delivered_at IS NULL`,
      [keys.map((key) => key.requestId), keys.map((key) => key.event)],
    );
  }

  /** Grants this worker the probe of an open circuit, if it is due; the next one is due an interval later. */
  async grantProbe(agencyId: string, intervalSeconds: number): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE agency_webhooks SET next_probe_at = now() + make_interval(secs => $2)
       WHERE agency_id = $1 AND circuit_state = 'open' AND next_probe_at <= now() RETURNING agency_id`,
      [agencyId, intervalSeconds],
    );
    return rows.length > 0;
  }

  /**
   * Records attempts of one agency's deliveries (in the order they finished) and moves its circuit in the
   * same statement as the counters: it opens at `rules.failures` consecutive failures and closes on a
   * success. When it closes, the agency's undelivered deliveries are all due at once, oldest first.
   */
  async recordOutcomes(
    agencyId: string,
    outcomes: AttemptOutcome[],
    rules: CircuitRules,
  ): Promise<CircuitAfter | undefined> {
    if (!outcomes.length) return undefined;
    await this.dataSource.query(
      `UPDATE webhook_deliveries d SET attempts = d.attempts + 1, updated_at = now(), leased_until = NULL,
         last_error = o.error,
         delivered_at = CASE WHEN o.error IS NULL THEN now() END,
         next_attempt_at = CASE WHEN o.error IS NULL THEN d.next_attempt_at
           ELSE now() + make_interval(secs => o.retry) END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[]) AS o(request_id, event, error, retry)
       WHERE d.request_id = o.request_id AND d.event = o.event AND d.delivered_at IS NULL`,
      [
        outcomes.map((o) => o.requestId),
        outcomes.map((o) => o.event),
        outcomes.map((o) => o.error),
        outcomes.map((o) => o.retryInSeconds),
      ],
    );
    const succeeded = outcomes.filter((o) => o.error === null).length;
    const failed = outcomes.length - succeeded;
    const lastSuccess = outcomes.map((o) => o.error === null).lastIndexOf(true);
    const trailingFailures = outcomes.length - 1 - lastSuccess;
    const errors = outcomes
      .filter((o) => o.error !== null)
      .slice(-RECENT_ERRORS)
      .reverse()
      .map((o) => ({ at: o.at.toISOString(), deliveryId: o.deliveryId, event: o.event, error: o.error }));
    const [rows]: [CircuitAfter[], number] = await this.dataSource.query(
      `WITH old AS (
         SELECT agency_id, circuit_state, consecutive_failures FROM agency_webhooks WHERE agency_id = $1 FOR UPDATE
       ), counted AS (
         SELECT agency_id, circuit_state AS before,
           CASE WHEN $2::int > 0 THEN $4::int ELSE consecutive_failures + $3::int END AS failures
         FROM old
       ), decided AS (
         SELECT *, CASE WHEN failures >= $6::int THEN 'open' WHEN $2::int > 0 THEN 'closed' ELSE before END AS after
         FROM counted
       )
       UPDATE agency_webhooks w SET consecutive_failures = n.failures, circuit_state = n.after,
         circuit_opened_at = CASE WHEN n.after = 'closed' THEN NULL
           WHEN n.before = 'closed' THEN now() ELSE w.circuit_opened_at END,
         next_probe_at = CASE WHEN n.after = 'closed' THEN NULL
           WHEN n.before = 'closed' THEN now() + make_interval(secs => $7) ELSE w.next_probe_at END,
         circuit_opens = w.circuit_opens + (n.after = 'open' AND n.before = 'closed')::int,
         circuit_closes = w.circuit_closes + (n.after = 'closed' AND n.before = 'open')::int,
         delivered_total = w.delivered_total + $2::int,
         failed_total = w.failed_total + $3::int,
         last_success_at = CASE WHEN $2::int > 0 THEN now() ELSE w.last_success_at END,
         last_failure_at = CASE WHEN $3::int > 0 THEN now() ELSE w.last_failure_at END,
         recent_errors = CASE WHEN $3::int = 0 THEN w.recent_errors ELSE (
           SELECT jsonb_agg(e.value ORDER BY e.position)
           FROM jsonb_array_elements($5::jsonb || w.recent_errors) WITH ORDINALITY AS e(value, position)
           WHERE e.position <= ${RECENT_ERRORS}) END
       FROM decided n WHERE w.agency_id = n.agency_id
       RETURNING n.before, n.after AS state, n.failures AS "consecutiveFailures"`,
      [
        agencyId,
        succeeded,
        failed,
        trailingFailures,
        JSON.stringify(errors),
        rules.failures,
        rules.probeIntervalSeconds,
      ],
    );
    const after = rows[0];
    if (after?.before === 'open' && after.state === 'closed') await this.dueNow(agencyId);
    return after;
  }

  /**
   * The agency's undelivered deliveries due now, and an open circuit's probe due now: `POST
   * /agency/webhook/redeliver`. Returns how many deliveries are waiting.
   */
  async redeliverNow(agencyId: string): Promise<number> {
    await this.probeNow(agencyId);
    return this.dueNow(agencyId);
  }

  /** An open circuit tries its probe at once (a test event just went through). */
  async probeNow(agencyId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE agency_webhooks SET next_probe_at = now() WHERE agency_id = $1 AND circuit_state = 'open'`,
      [agencyId],
    );
  }

  async status(agencyId: string): Promise<WebhookStatusRow | undefined> {
    const rows: WebhookStatusRow[] = await this.dataSource.query(
      `SELECT w.url, w.circuit_state AS "circuitState", w.circuit_opened_at AS "circuitOpenedAt",
         w.next_probe_at AS "nextProbeAt", w.consecutive_failures AS "consecutiveFailures",
         w.last_success_at AS "lastSuccessAt", w.last_failure_at AS "lastFailureAt",
         w.recent_errors AS "recentErrors", b.pending, b.retrying, b.oldest AS "oldestPendingAt"
       FROM agency_webhooks w CROSS JOIN LATERAL (
         SELECT count(*)::int AS pending, count(*) FILTER (WHERE d.attempts > 0)::int AS retrying,
           min(d.created_at) AS oldest
         FROM webhook_deliveries d WHERE d.agency_id = w.agency_id AND d.delivered_at IS NULL) b
       WHERE w.agency_id = $1`,
      [agencyId],
    );
    return rows[0];
  }

  /** Every endpoint's counters and circuits summed, and the deliveries waiting (for /metrics). */
  async totals(): Promise<WebhookTotals> {
    const [row]: WebhookTotals[] = await this.dataSource.query(
      `SELECT coalesce(sum(delivered_total), 0)::float8 AS delivered,
         coalesce(sum(failed_total), 0)::float8 AS failed,
         coalesce(sum(circuit_opens), 0)::float8 AS opened,
         coalesce(sum(circuit_closes), 0)::float8 AS closed,
         count(*) FILTER (WHERE circuit_state = 'open')::int AS "circuitsOpen",
         count(*) FILTER (WHERE circuit_state = 'closed')::int AS "circuitsClosed",
         coalesce(sum(p.n) FILTER (WHERE circuit_state = 'closed'), 0)::int AS "pendingClosed",
         coalesce(sum(p.n) FILTER (WHERE circuit_state = 'open'), 0)::int AS "pendingOpen"
       FROM agency_webhooks w CROSS JOIN LATERAL (
         SELECT count(*) AS n FROM webhook_deliveries d
         WHERE d.agency_id = w.agency_id AND d.delivered_at IS NULL) p`,
    );
    return row;
  }

  /** Makes the agency's undelivered deliveries due now; returns how many are undelivered. */
  private async dueNow(agencyId: string): Promise<number> {
    const [row]: { pending: number }[] = await this.dataSource.query(
      `WITH moved AS (
         UPDATE webhook_deliveries SET next_attempt_at = now()
         WHERE agency_id = $1 AND delivered_at IS NULL AND next_attempt_at > now() RETURNING 1)
       SELECT count(*)::int AS pending FROM webhook_deliveries WHERE agency_id = $1 AND delivered_at IS NULL`,
      [agencyId],
    );
    return row.pending;
  }
}
