import { Tx } from '@app/core';
import type { OrderForAlertsRow } from '@app/job-orders';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { orderMatchKeys } from './match-keys';
import type { AlertChannel } from './job-alert.entity';

export interface AlertRow {
  id: string;
  q: string | null;
  countryCode: string | null;
  industryCode: string | null;
  programCode: string | null;
  gender: 'male' | 'female' | null;
  birthYear: number | null;
  salaryMinVnd: number | null;
  maxCostVnd: number | null;
  consentVersion: string;
  consentChannel: AlertChannel;
  consentedAt: Date;
  createdAt: Date;
  stoppedAt: Date | null;
  stoppedVia: AlertChannel | null;
}

export interface NewAlert {
  phoneHash: string;
  phoneSealed: string;
  q: string | null;
  qWords: string[];
  countryCode: string | null;
  industryCode: string | null;
  programCode: string | null;
  gender: 'male' | 'female' | null;
  birthYear: number | null;
  salaryMinVnd: number | null;
  maxCostVnd: number | null;
  matchKey: string;
  consentVersion: string;
  consentChannel: AlertChannel;
}

/** What is held about one phone's alerts. */
export interface AlertsHeld {
  alerts: AlertRow[];
  matches: { alertId: string; jobOrderId: string; matchedAt: Date }[];
  messages: { day: string; alertId: string; jobOrderId: string; sentAt: Date }[];
  stops: { alertId: string | null; via: AlertChannel; alertsEnded: number; at: Date }[];
}

/** A text to send: the alert it is for and the phone, still sealed. */
export interface AlertMessageRow {
  alertId: string;
  phoneHash: string;
  phoneSealed: string;
}

const ALERT_COLUMNS = `id::text AS id, q, country_code AS "countryCode", industry_code AS "industryCode",
  program_code AS "programCode", gender, birth_year AS "birthYear",
  salary_min_vnd::float8 AS "salaryMinVnd", max_cost_vnd::float8 AS "maxCostVnd",
  consent_version AS "consentVersion", consent_channel AS "consentChannel", consented_at AS "consentedAt",
  created_at AS "createdAt", stopped_at AS "stoppedAt", stopped_via AS "stoppedVia"`;

/** The Vietnam calendar day, which "one text a day" counts in. */
const VIETNAM_DAY = `(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;

@Injectable()
export class JobAlertsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serialises the changes to one phone's alerts, so the limit of five holds under concurrent requests. */
  async lockPhone(tx: Tx, phoneHash: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('job-alerts:' || $1, 0))`, [phoneHash]);
  }

  async countActive(tx: Tx, phoneHash: string): Promise<number> {
    const [row]: { n: number }[] = await tx.query(
      `SELECT count(*)::int AS n FROM job_alerts WHERE phone_hash = $1 AND stopped_at IS NULL`,
      [phoneHash],
    );
    return row.n;
  }

  async insert(tx: Tx, alert: NewAlert): Promise<AlertRow> {
    const [row]: AlertRow[] = await tx.query(
      `INSERT INTO job_alerts (phone_hash, phone_sealed, q, q_words, country_code, industry_code, program_code,
         gender, birth_year, salary_min_vnd, max_cost_vnd, match_key, consent_version, consent_channel,
         consented_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
       RETURNING ${ALERT_COLUMNS}`,
      [
        alert.phoneHash,
        alert.phoneSealed,
        alert.q,
        alert.qWords,
        alert.countryCode,
        alert.industryCode,
        alert.programCode,
        alert.gender,
        alert.birthYear,
        alert.salaryMinVnd,
        alert.maxCostVnd,
        alert.matchKey,
        alert.consentVersion,
        alert.consentChannel,
      ],
    );
    return row;
  }

  async listActive(phoneHash: string): Promise<AlertRow[]> {
    return this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM job_alerts WHERE phone_hash = $1 AND stopped_at IS NULL
       ORDER BY created_at DESC, id DESC`,
      [phoneHash],
    );
  }

  /** The phone an alert belongs to, whether or not it is still active. */
  async phoneHashOf(alertId: string): Promise<string | undefined> {
    const rows: { phoneHash: string }[] = await this.dataSource.query(
      `SELECT phone_hash AS "phoneHash" FROM job_alerts WHERE id = $1`,
      [alertId],
    );
    return rows[0]?.phoneHash;
  }

  /** Whether the phone has this alert (active or not). */
  async belongsTo(tx: Tx, phoneHash: string, alertId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM job_alerts WHERE id = $1 AND phone_hash = $2`, [
      alertId,
      phoneHash,
    ]);
    return rows.length > 0;
  }

  /**
   * Ends the phone's active alerts (only `alertId` when given) and records the stop: who, how, naming
   * which alert, and how many it ended. Answers how many it ended.
   */
  async stop(
    tx: Tx,
    stop: { phoneHash: string; via: AlertChannel; alertId: string | null; only: boolean },
  ): Promise<number> {
    const [row]: { ended: number }[] = await tx.query(
      `WITH ended AS (
         UPDATE job_alerts SET stopped_at = now(), stopped_via = $2
         WHERE phone_hash = $1 AND stopped_at IS NULL AND (NOT $4 OR id = $3::bigint)
         RETURNING id),
       recorded AS (
         INSERT INTO job_alert_stops (phone_hash, alert_id, via, alerts_ended)
         SELECT $1, $3::bigint, $2, count(*) FROM ended)
       SELECT count(*)::int AS ended FROM ended`,
      [stop.phoneHash, stop.via, stop.alertId, stop.only],
    );
    return row.ended;
  }

  /**
   * Matching and its record, in one statement: the active alerts that admit the order (found through the
   * match-key index, then checked against birth year, salary, cost and words) get a match row each (once:
   * a repeated job matches nothing new); of their phones, those without a text yet this Vietnam day get one
   * (the day's row is the lock: a concurrent order's transaction waits for it and then sends nothing). Phones
   * are taken in order, so two concurrent orders never wait on each other in a cycle.
   */
  async recordMatches(
    tx: Tx,
    order: OrderForAlertsRow,
  ): Promise<{ matched: number; messages: AlertMessageRow[] }> {
    const params: unknown[] = [];
    const where = matchCondition(order, params);
    params.push(order.id);
    const orderId = `$${params.length}::uuid`;
    const [row]: { matched: number; messages: AlertMessageRow[] }[] = await tx.query(
      `WITH matched AS (
         INSERT INTO job_alert_matches (alert_id, job_order_id, phone_hash)
         SELECT a.id, ${orderId}, a.phone_hash FROM job_alerts a WHERE ${where} ORDER BY a.id
         ON CONFLICT DO NOTHING
         RETURNING alert_id, phone_hash),
       first AS (
         SELECT DISTINCT ON (phone_hash) phone_hash, alert_id FROM matched ORDER BY phone_hash, alert_id),
       messaged AS (
         INSERT INTO job_alert_messages (phone_hash, day, alert_id, job_order_id)
         SELECT phone_hash, ${VIETNAM_DAY}, alert_id, ${orderId} FROM first ORDER BY phone_hash
         ON CONFLICT (phone_hash, day) DO NOTHING
         RETURNING phone_hash, alert_id)
       SELECT (SELECT count(*) FROM matched)::int AS matched,
         coalesce((SELECT json_agg(json_build_object('alertId', m.alert_id::text, 'phoneHash', m.phone_hash,
           'phoneSealed', a.phone_sealed))
           FROM messaged m JOIN job_alerts a ON a.id = m.alert_id), '[]'::json) AS messages`,
      params,
    );
    return row;
  }

  /** The ids of the alerts the same match finds, read only: the benchmark times it and EXPLAINs it. */
  findMatching(order: OrderForAlertsRow, explain = false): Promise<{ id: string }[]> {
    const params: unknown[] = [];
    const prefix = explain ? 'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ' : '';
    return this.dataSource.query(
      `${prefix}SELECT a.id FROM job_alerts a WHERE ${matchCondition(order, params)}`,
      params,
    );
  }

  /** Everything held about the phone's alerts, for its export. */
  async exportForPhone(phoneHash: string): Promise<AlertsHeld> {
    const [alerts, matches, messages, stops] = await Promise.all([
      this.dataSource.query<AlertsHeld['alerts']>(
        `SELECT ${ALERT_COLUMNS} FROM job_alerts WHERE phone_hash = $1 ORDER BY created_at, id`,
        [phoneHash],
      ),
      this.dataSource.query<AlertsHeld['matches']>(
        `SELECT alert_id::text AS "alertId", job_order_id AS "jobOrderId", matched_at AS "matchedAt"
         FROM job_alert_matches WHERE phone_hash = $1 ORDER BY matched_at, alert_id`,
        [phoneHash],
      ),
      this.dataSource.query<AlertsHeld['messages']>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, alert_id::text AS "alertId", job_order_id AS "jobOrderId",
           sent_at AS "sentAt"
         FROM job_alert_messages WHERE phone_hash = $1 ORDER BY day`,
        [phoneHash],
      ),
      this.dataSource.query<AlertsHeld['stops']>(
        `SELECT alert_id::text AS "alertId", via, alerts_ended AS "alertsEnded", created_at AS at
         FROM job_alert_stops WHERE phone_hash = $1 ORDER BY id`,
        [phoneHash],
      ),
    ]);
    return { alerts, matches, messages, stops };
  }

  /** The newest sealed phone of the phone's alerts: how its last text reaches it. */
  async sealedPhoneOf(phoneHash: string, tx?: Tx): Promise<string | undefined> {
    const rows: { phoneSealed: string }[] = await (tx ?? this.dataSource).query(
      `SELECT phone_sealed AS "phoneSealed" FROM job_alerts WHERE phone_hash = $1 ORDER BY id DESC LIMIT 1`,
      [phoneHash],
    );
    return rows[0]?.phoneSealed;
  }

  /** Erasure: the phone's alerts and everything recorded about them go. */
  async eraseForPhone(tx: Tx, phoneHash: string): Promise<number> {
    await tx.query(`DELETE FROM job_alert_matches WHERE phone_hash = $1`, [phoneHash]);
    await tx.query(`DELETE FROM job_alert_messages WHERE phone_hash = $1`, [phoneHash]);
    await tx.query(`DELETE FROM job_alert_stops WHERE phone_hash = $1`, [phoneHash]);
    const deleted: [unknown[], number] = await tx.query(`DELETE FROM job_alerts WHERE phone_hash = $1`, [
      phoneHash,
    ]);
    return deleted[1];
  }

  /**
   * Retention: matches and texts older than `months` go, and alerts stopped that long ago with their stops.
   * Active alerts stay: their consent still stands. Answers how many alerts went.
   */
  async eraseExpired(months: number): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const cutoff = `now() - make_interval(months => $1)`;
      await tx.query(`DELETE FROM job_alert_matches WHERE matched_at < ${cutoff}`, [months]);
      await tx.query(`DELETE FROM job_alert_messages WHERE sent_at < ${cutoff}`, [months]);
      const [row]: { n: number }[] = await tx.query(
        `WITH gone AS (
           DELETE FROM job_alerts WHERE stopped_at < ${cutoff} RETURNING id, phone_hash),
         stops AS (
           DELETE FROM job_alert_stops s USING gone WHERE s.alert_id = gone.id)
         SELECT count(*)::int AS n FROM gone`,
        [months],
      );
      await tx.query(
        `DELETE FROM job_alert_stops s WHERE s.created_at < ${cutoff}
           AND NOT EXISTS (SELECT 1 FROM job_alerts a WHERE a.phone_hash = s.phone_hash AND a.stopped_at IS NULL)`,
        [months],
      );
      return row.n;
    });
  }
}

/**
 * The WHERE clause that admits an order, binding into `params`. The match-key probe is the index condition
 * (IDX_job_alerts_match, partial on active alerts); the rest is checked on the few rows it finds. The words
 * are looked for with strpos in the order's folded search text, which is what the listing's escaped
 * `LIKE '%word%'` tests.
 */
function matchCondition(order: OrderForAlertsRow, params: unknown[]): string {
  const bind = (value: unknown) => `$${params.push(value)}`;
  return `a.stopped_at IS NULL AND a.match_key = ANY(${bind(orderMatchKeys(order))}::varchar[])
    AND (a.birth_year IS NULL OR a.birth_year BETWEEN ${bind(order.birthYearFrom)} AND ${bind(order.birthYearTo)})
    AND (a.salary_min_vnd IS NULL OR a.salary_min_vnd <= ${bind(order.salaryVndEstimate)}::bigint)
    AND (a.max_cost_vnd IS NULL OR a.max_cost_vnd >= ${bind(order.totalCostVnd)}::bigint)
    AND (a.q_words = '{}' OR NOT EXISTS (
      SELECT 1 FROM unnest(a.q_words) w WHERE strpos(${bind(order.searchText ?? '')}::text, w) = 0))`;
}
