import type { Reader } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { RANKING_FORMULA } from './ranking.formula';

/** Serialises everything that writes the ranking tables: folding, rescoring and the full recompute. */
const RANKING_LOCK = 7_346_118_017;
const HOUR_MS = 3_600_000;

const P = RANKING_FORMULA.parameters;
const W = RANKING_FORMULA.weights;

export interface ScoreRow {
  countryCode: string;
  rank: number;
  agencyId: string;
  agencyName: string;
  licenseNumber: string;
  licenseStatus: string;
  score: number;
  compliance: number;
  responsiveness: number;
  outcomes: number;
  reviews: number;
  activity: number;
  sampleSize: Record<string, number | null>;
  computedAt: Date;
}

export interface RankingStateRow {
  version: number;
  computedAt: Date | null;
}

/**
 * Per-person units from the raw requests, exactly as folding the events builds them: one row per agency,
 * destination and phone over the assigned requests, the first request by (created_at, id).
 */
const CONTACTS_FROM_RAW = `
  INSERT INTO ranking_contacts (agency_id, country_code, phone_hash, leads, first_at, first_request_id,
    first_ip_hash, best_delay_ms, review_points)
  SELECT r.agency_id, o.country_code, r.phone_hash, count(*)::int, min(r.created_at),
    (array_agg(r.id ORDER BY r.created_at, r.id))[1], (array_agg(r.ip_hash ORDER BY r.created_at, r.id))[1],
    min(floor(extract(epoch FROM r.first_contacted_at - r.assigned_at) * 1000)::bigint),
    max(v.fees + v.contract + v.training + v.responsiveness)
  FROM consultation_requests r JOIN job_orders o ON o.id = r.job_order_id
  LEFT JOIN reviews v ON v.request_id = r.id
  WHERE r.assigned_at IS NOT NULL
  GROUP BY r.agency_id, o.country_code, r.phone_hash`;

const COUNTERS_FROM_RAW = `
  INSERT INTO ranking_counters (agency_id, country_code, departures, approved_headcount, open_orders)
  SELECT agency_id, country_code, sum(d)::int, sum(h)::int, sum(o)::int FROM (
    SELECT agency_id, country_code, total AS d, 0 AS h, 0 AS o FROM departure_reports
    UNION ALL
    SELECT agency_id, country_code, 0,
      CASE WHEN registration_status = 'approved' THEN coalesce(approved_headcount, 0) ELSE 0 END,
      CASE WHEN publication_status = 'published' AND registration_status = 'approved' THEN 1 ELSE 0 END
    FROM job_orders) x
  GROUP BY agency_id, country_code HAVING sum(d) <> 0 OR sum(h) <> 0 OR sum(o) <> 0`;

/** Folds a batch of events; merges are commutative, so events may be folded in any order. */
const FOLD = `
  WITH ev AS (
    DELETE FROM ranking_events WHERE id IN (
      SELECT id FROM ranking_events ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING agency_id, country_code, kind, payload),
  units AS (
    SELECT agency_id, country_code, payload->>'phoneHash' AS phone_hash,
      count(*) FILTER (WHERE kind = 'lead_assigned')::int AS leads,
      min((payload->>'createdAt')::timestamptz) AS first_at,
      (array_agg((payload->>'requestId')::uuid
        ORDER BY (payload->>'createdAt')::timestamptz, (payload->>'requestId')::uuid))[1] AS first_request_id,
      (array_agg(payload->>'ipHash'
        ORDER BY (payload->>'createdAt')::timestamptz, (payload->>'requestId')::uuid))[1] AS first_ip_hash,
      min((payload->>'delayMs')::bigint) AS best_delay_ms,
      max((payload->>'points')::int) AS review_points
    FROM ev WHERE kind IN ('lead_assigned', 'lead_contacted', 'review')
    GROUP BY agency_id, country_code, payload->>'phoneHash'),
  folded_units AS (
    INSERT INTO ranking_contacts AS t (agency_id, country_code, phone_hash, leads, first_at, first_request_id,
      first_ip_hash, best_delay_ms, review_points)
    SELECT agency_id, country_code, phone_hash, leads, first_at, first_request_id, first_ip_hash, best_delay_ms,
      review_points FROM units
    ON CONFLICT (agency_id, country_code, phone_hash) DO UPDATE SET
      leads = t.leads + EXCLUDED.leads,
      first_at = least(t.first_at, EXCLUDED.first_at),
      first_request_id = CASE WHEN (EXCLUDED.first_at, EXCLUDED.first_request_id) < (t.first_at, t.first_request_id)
        THEN EXCLUDED.first_request_id ELSE t.first_request_id END,
      first_ip_hash = CASE WHEN (EXCLUDED.first_at, EXCLUDED.first_request_id) < (t.first_at, t.first_request_id)
        THEN EXCLUDED.first_ip_hash ELSE t.first_ip_hash END,
      best_delay_ms = least(t.best_delay_ms, EXCLUDED.best_delay_ms),
      review_points = coalesce(EXCLUDED.review_points, t.review_points)
    RETURNING 1),
  counts AS (
    SELECT agency_id, country_code, coalesce(sum((payload->>'departures')::int), 0)::int AS departures,
      coalesce(sum((payload->>'headcount')::int), 0)::int AS headcount,
      coalesce(sum((payload->>'open')::int), 0)::int AS open_orders
    FROM ev WHERE kind = 'counts' GROUP BY agency_id, country_code),
  folded_counts AS (
    INSERT INTO ranking_counters AS t (agency_id, country_code, departures, approved_headcount, open_orders)
    SELECT agency_id, country_code, departures, headcount, open_orders FROM counts
    ON CONFLICT (agency_id, country_code) DO UPDATE SET departures = t.departures + EXCLUDED.departures,
      approved_headcount = t.approved_headcount + EXCLUDED.approved_headcount,
      open_orders = t.open_orders + EXCLUDED.open_orders
    RETURNING 1)
  SELECT (SELECT count(*)::int FROM ev) AS events,
    coalesce((SELECT array_agg(DISTINCT agency_id) FROM ev), '{}') AS agencies,
    (SELECT count(*) FROM folded_units) + (SELECT count(*) FROM folded_counts) AS written`;

/**
 * The figures per agency and scope (each destination, and '' for all) from the per-person units and the
 * counters, for the given agencies or all ($1 NULL). A person is counted under the address of their first
 * request, and each address counts at most ${P.peoplePerAddress} people, taken in order of first request.
 */
const STATS = `
  WITH contacts AS (
    SELECT * FROM ranking_contacts WHERE $1::uuid[] IS NULL OR agency_id = ANY ($1)),
  units AS (
    SELECT agency_id, country_code::text AS country_code, phone_hash, leads, first_at, first_request_id,
      first_ip_hash, best_delay_ms, review_points FROM contacts
    UNION ALL
    SELECT agency_id, '', phone_hash, sum(leads)::int, min(first_at),
      (array_agg(first_request_id ORDER BY first_at, first_request_id))[1],
      (array_agg(first_ip_hash ORDER BY first_at, first_request_id))[1], min(best_delay_ms), max(review_points)
    FROM contacts GROUP BY agency_id, phone_hash),
  ranked AS (
    SELECT u.*, row_number() OVER (PARTITION BY agency_id, country_code, coalesce(first_ip_hash, phone_hash)
      ORDER BY first_at, first_request_id) <= ${P.peoplePerAddress} AS counted
    FROM units u),
  people AS (
    SELECT agency_id, country_code, sum(leads)::int AS leads,
      count(*) FILTER (WHERE counted)::int AS people,
      count(*) FILTER (WHERE counted AND best_delay_ms IS NOT NULL)::int AS contacted,
      count(*) FILTER (WHERE counted AND best_delay_ms <= ${P.contactWithinHours * HOUR_MS})::int AS within,
      percentile_disc(0.5) WITHIN GROUP (ORDER BY best_delay_ms)
        FILTER (WHERE counted AND best_delay_ms IS NOT NULL) AS median_delay_ms,
      count(*) FILTER (WHERE counted AND review_points IS NOT NULL)::int AS reviews,
      coalesce(sum(review_points) FILTER (WHERE counted), 0)::int AS review_points
    FROM ranked GROUP BY agency_id, country_code),
  counters AS (
    SELECT agency_id, country_code::text AS country_code, departures, approved_headcount, open_orders
    FROM ranking_counters WHERE $1::uuid[] IS NULL OR agency_id = ANY ($1)
    UNION ALL
    SELECT agency_id, '', sum(departures)::int, sum(approved_headcount)::int, sum(open_orders)::int
    FROM ranking_counters WHERE $1::uuid[] IS NULL OR agency_id = ANY ($1) GROUP BY agency_id)
  INSERT INTO ranking_stats (country_code, agency_id, leads, people, contacted, contacted_within24h,
    median_delay_ms, reviews, review_points, departures, approved_headcount, open_orders)
  SELECT coalesce(p.country_code, c.country_code), coalesce(p.agency_id, c.agency_id), coalesce(p.leads, 0),
    coalesce(p.people, 0), coalesce(p.contacted, 0), coalesce(p.within, 0), p.median_delay_ms,
    coalesce(p.reviews, 0), coalesce(p.review_points, 0), coalesce(c.departures, 0),
    coalesce(c.approved_headcount, 0), coalesce(c.open_orders, 0)
  FROM people p FULL JOIN counters c ON c.agency_id = p.agency_id AND c.country_code = p.country_code`;

const REVIEW_PRIOR_SUM = P.reviewPrior.C * P.reviewPrior.m;
const RESPONSIVENESS_PRIOR_SUM = P.responsivenessPrior.weight * P.responsivenessPrior.value;

/**
 * The scores, a pure function of the stored figures, the incident ledger, the licence statuses and the
 * time $1: every active agency overall, and per destination where it has people, orders or departures.
 */
const SCORES = `
  WITH incidents AS (
    SELECT agency_id, count(*)::int AS incidents FROM ranking_incidents
    WHERE occurred_at > $1::timestamptz - interval '${P.incidentWindowMonths} months' AND occurred_at <= $1::timestamptz
    GROUP BY agency_id),
  scoped AS (
    SELECT a.id AS agency_id, '' AS country_code, coalesce(s.leads, 0) AS leads, coalesce(s.people, 0) AS people,
      coalesce(s.contacted, 0) AS contacted, coalesce(s.contacted_within24h, 0) AS within, s.median_delay_ms,
      coalesce(s.reviews, 0) AS reviews, coalesce(s.review_points, 0) AS review_points,
      coalesce(s.departures, 0) AS departures, coalesce(s.approved_headcount, 0) AS headcount,
      coalesce(s.open_orders, 0) AS open_orders
    FROM agencies a LEFT JOIN ranking_stats s ON s.agency_id = a.id AND s.country_code = ''
    WHERE a.license_status = 'active'
    UNION ALL
    SELECT s.agency_id, s.country_code, s.leads, s.people, s.contacted, s.contacted_within24h, s.median_delay_ms,
      s.reviews, s.review_points, s.departures, s.approved_headcount, s.open_orders
    FROM ranking_stats s JOIN agencies a ON a.id = s.agency_id AND a.license_status = 'active'
    WHERE s.country_code <> ''
      AND (s.people > 0 OR s.open_orders > 0 OR s.approved_headcount > 0 OR s.departures > 0)),
  parts AS (
    SELECT sc.*, coalesce(i.incidents, 0) AS incidents,
      greatest(0, 1 - ${P.incidentPenalty} * coalesce(i.incidents, 0))::float8 AS compliance,
      ((${P.reachedWeight} * sc.within + ${P.speedWeight} * sc.people * CASE WHEN sc.median_delay_ms IS NULL THEN 0
          ELSE greatest(0, 1 - sc.median_delay_ms::float8 / ${P.medianZeroAtHours * HOUR_MS}) END
        + ${RESPONSIVENESS_PRIOR_SUM}) / (sc.people + ${P.responsivenessPrior.weight}))::float8 AS responsiveness,
      CASE WHEN sc.headcount > 0 THEN least(1, sc.departures::float8 / sc.headcount) ELSE 0 END::float8 AS outcomes,
      (((${REVIEW_PRIOR_SUM} + sc.review_points::float8 / 4) / (${P.reviewPrior.C} + sc.reviews) - 1) / 4)::float8
        AS reviews_part,
      least(1, sc.open_orders::float8 / ${P.openOrdersForFullActivity})::float8 AS activity
    FROM scoped sc LEFT JOIN incidents i ON i.agency_id = sc.agency_id),
  scored AS (
    SELECT p.*, 100 * (${W.compliance} * compliance + ${W.responsiveness} * responsiveness
      + ${W.outcomes} * outcomes + ${W.reviews} * reviews_part + ${W.activity} * activity) AS score
    FROM parts p)
  INSERT INTO ranking_scores (country_code, rank, agency_id, score, compliance, responsiveness, outcomes, reviews,
    activity, sample_size, computed_at)
  SELECT country_code, row_number() OVER (PARTITION BY country_code ORDER BY score DESC, people DESC, agency_id),
    agency_id, score, compliance, responsiveness, outcomes, reviews_part, activity,
    jsonb_build_object('leads', leads, 'people', people, 'contacted', contacted, 'contactedWithin24h', within,
      'medianHoursToFirstContact', round(median_delay_ms / ${HOUR_MS}.0, 2), 'reviews', reviews,
      'departures', departures, 'approvedHeadcount', headcount, 'openOrders', open_orders,
      'incidents', incidents),
    $1::timestamptz
  FROM scored`;

@Injectable()
export class RankingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Folds up to `limit` queued events into the aggregates and rescores, in one transaction. Returns the
   * number folded, or undefined when another folder or a full recompute holds the ranking.
   */
  fold(limit: number, at: Date): Promise<number | undefined> {
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.tryLock(tx))) return undefined;
      const [result]: { events: number; agencies: string[] }[] = await tx.query(FOLD, [limit]);
      if (result.events === 0) return 0;
      await tx.query(
        `DELETE FROM ranking_counters WHERE agency_id = ANY ($1)
           AND departures = 0 AND approved_headcount = 0 AND open_orders = 0`,
        [result.agencies],
      );
      await this.restat(tx, result.agencies);
      await this.rescoreIn(tx, at);
      return result.events;
    });
  }

  /** Recomputes the scores from the stored figures at `at` (incidents age out of their window). */
  rescore(at: Date): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.tryLock(tx))) return false;
      await this.rescoreIn(tx, at);
      return true;
    });
  }

  /**
   * Rebuilds every aggregate from the raw tables and rescores at `at`, on one snapshot; the events queued
   * under that snapshot are already reflected in it and are consumed, later ones are folded afterwards.
   */
  async recomputeAll(at: Date): Promise<{ consumedEvents: number; contacts: number }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Session-level, taken before the snapshot: a folder that committed meanwhile is seen complete.
      await runner.query(`SELECT pg_advisory_lock($1)`, [RANKING_LOCK]);
      try {
        await runner.startTransaction('REPEATABLE READ');
        try {
          const tx = runner.manager;
          const [, consumedEvents]: [unknown, number] = await tx.query(`DELETE FROM ranking_events`);
          await tx.query(`TRUNCATE ranking_contacts, ranking_counters, ranking_stats`);
          await tx.query(CONTACTS_FROM_RAW);
          await tx.query(COUNTERS_FROM_RAW);
          const [{ contacts }]: { contacts: number }[] = await tx.query(
            `SELECT count(*)::int AS contacts FROM ranking_contacts`,
          );
          await tx.query(STATS, [null]);
          await this.rescoreIn(tx, at);
          await tx.query(`UPDATE ranking_state SET full_recompute_at = $1 WHERE id = 1`, [at]);
          await runner.commitTransaction();
          return { consumedEvents, contacts };
        } catch (error) {
          await runner.rollbackTransaction();
          throw error;
        }
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [RANKING_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  async pendingEvents(): Promise<number> {
    const [{ count }]: { count: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM ranking_events`,
    );
    return count;
  }

  async state(reader: Reader = this.dataSource): Promise<RankingStateRow> {
    const rows: RankingStateRow[] = await reader.query(
      `SELECT version, computed_at AS "computedAt" FROM ranking_state WHERE id = 1`,
    );
    return rows[0] ?? { version: 0, computedAt: null };
  }

  /** The stored ranking of one scope ('' for all destinations), best first. */
  findTop(countryCode: string, limit: number, reader: Reader = this.dataSource): Promise<ScoreRow[]> {
    // Agencies whose licence changed since the last fold drop out at once, and the ranks close up.
    return reader.query(
      `SELECT * FROM (
         SELECT "countryCode", row_number() OVER (ORDER BY rank)::int AS rank, "agencyId", "agencyName",
           "licenseNumber", "licenseStatus", score, compliance, responsiveness, outcomes, reviews, activity,
           "sampleSize", "computedAt"
         FROM (${SCORE_SELECT} WHERE s.country_code = $1 AND a.license_status = 'active') ranked
       ) page ORDER BY rank LIMIT $2`,
      [countryCode, limit],
    );
  }

  /** Every scope the agency is ranked in, overall ('') first. */
  findForAgency(agencyId: string, reader: Reader = this.dataSource): Promise<ScoreRow[]> {
    return reader.query(
      `${SCORE_SELECT} WHERE s.agency_id = $1 AND a.license_status = 'active' ORDER BY s.country_code`,
      [agencyId],
    );
  }

  countRanked(
    countryCodes: string[],
    reader: Reader = this.dataSource,
  ): Promise<{ countryCode: string; ranked: number }[]> {
    return reader.query(
      `SELECT country_code AS "countryCode", max(rank)::int AS ranked FROM ranking_scores
       WHERE country_code = ANY ($1) GROUP BY country_code`,
      [countryCodes],
    );
  }

  private async restat(tx: EntityManager, agencies: string[]): Promise<void> {
    await tx.query(`DELETE FROM ranking_stats WHERE agency_id = ANY ($1)`, [agencies]);
    await tx.query(STATS, [agencies]);
  }

  private async rescoreIn(tx: EntityManager, at: Date): Promise<void> {
    await tx.query(`DELETE FROM ranking_scores`);
    await tx.query(SCORES, [at]);
    await tx.query(
      `INSERT INTO ranking_state (id, version, computed_at) VALUES (1, 1, $1)
       ON CONFLICT (id) DO UPDATE SET version = ranking_state.version + 1, computed_at = EXCLUDED.computed_at`,
      [at],
    );
  }

  private async tryLock(tx: EntityManager): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await tx.query(
      `SELECT pg_try_advisory_xact_lock($1) AS locked`,
      [RANKING_LOCK],
    );
    return locked;
  }
}

const SCORE_SELECT = `
  SELECT s.country_code AS "countryCode", s.rank, s.agency_id AS "agencyId", a.name AS "agencyName",
    a.license_number AS "licenseNumber", a.license_status AS "licenseStatus", s.score, s.compliance,
    s.responsiveness, s.outcomes, s.reviews, s.activity, s.sample_size AS "sampleSize", s.computed_at AS "computedAt"
  FROM ranking_scores s JOIN agencies a ON a.id = s.agency_id`;
