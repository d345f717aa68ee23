import { ERASED } from '@app/applicants';
import { GroupCommit, Outcome, primaryPool, Tx } from '@app/core';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

import type { ApplicantGender, ConsultationOutcome, ConsultationStatus } from './consultation.entity';
import { ConsultationQueue, intakeJobId } from './consultations.queues';
import type { RejectionReason } from './eligibility';

export const CONSULTATION_SCOPE = 'consultations';

export interface NewConsultation {
  id: string;
  trackingCode: string;
  jobOrderId: string;
  agencyId: string;
  fullNameEncrypted: string;
  phoneEncrypted: string;
  phoneHash: string;
  provinceCode: string;
  birthYear: number;
  gender: ApplicantGender | null;
  messageEncrypted: string | null;
  ipHash: string | null;
  consentPolicyVersion: string;
}

/** The key a request's fields are sealed under: one known to be the phone's, or a fresh one offered for it. */
export interface SealedWith {
  keyWrapped: string;
  offered: boolean;
}

/** One request waiting for the group commit. */
export interface PendingAccept {
  request: NewConsultation;
  sealedWith: SealedWith;
  idempotency?: { key: string; requestHash: string };
}

/**
 * Requests per `accept_consultations()` call, and calls running at once. One at a time: the requests that
 * arrive while it runs make the next call larger, and PostgreSQL's cost per call (planning, executor start-up,
 * the commit) is paid less often. Alternated on 2 cores in the order A, B then B, A (bench/consultations.md,
 * 2026-12-06), one call in flight ran 19% more requests a second than two, more in 9 rounds of 12, with p99 lower
 * in 7 (two had won while PostgreSQL's per-request work was heavier). Calls take their locks in one order (keys,
 * idempotency keys, phone and order), so calls from different processes cannot deadlock.
 */
const ACCEPT_BATCH_MAX = 100;
const ACCEPT_BATCHES_IN_FLIGHT = 1;

export interface Accepted {
  trackingCode: string;
  status: ConsultationStatus;
}

export type AcceptResult =
  | { kind: 'created' | 'duplicate' | 'replayed' | 'replayed-duplicate'; response: Accepted }
  | { kind: 'key-reused' }
  | { kind: 'in-progress' }
  /** Sealed under another key than the phone's: seal again under `keptKey` (null: the phone has none). */
  | { kind: 'rekey'; keptKey: string | null };

export interface ApplicantRequestRow {
  id: string;
  trackingCode: string;
  status: ConsultationStatus;
  createdAt: Date;
  jobOrderId: string;
  jobOrderTitle: string;
  agencyId: string;
  agencyName: string;
  agencyLicenseNumber: string;
}

export interface ExportRow {
  trackingCode: string;
  status: ConsultationStatus;
  rejectionReason: string | null;
  outcome: ConsultationOutcome | null;
  createdAt: Date;
  fullNameEncrypted: string;
  phoneEncrypted: string;
  messageEncrypted: string | null;
  provinceName: string;
  birthYear: number;
  gender: ApplicantGender | null;
  personalDataErasedAt: Date | null;
  jobOrderId: string;
  jobOrderTitle: string;
  agencyId: string;
  agencyName: string;
  agencyLicenseNumber: string;
  timeline: { status: ConsultationStatus; at: string }[];
  consents: { purpose: string; policyVersion: string; grantedAt: string }[];
}

export interface TrackingRow {
  id: string;
  trackingCode: string;
  phoneHash: string;
  status: ConsultationStatus;
  rejectionReason: string | null;
  jobOrderId: string;
  jobOrderTitle: string;
  agencyId: string;
  agencyName: string;
  agencyLicenseNumber: string;
}

export interface ReceivedRequest {
  jobOrderId: string;
  agencyId: string;
  birthYear: number;
  gender: ApplicantGender | null;
  provinceCode: string;
}

export interface LeadRow {
  id: string;
  phoneHash: string;
  jobOrderId: string;
  fullNameEncrypted: string;
  phoneEncrypted: string;
  provinceName: string;
  birthYear: number;
  gender: ApplicantGender | null;
  messageEncrypted: string | null;
  status: ConsultationStatus;
  outcome: ConsultationOutcome | null;
  createdAt: Date;
  assignedAt: Date | null;
  firstContactedAt: Date | null;
}

const ERASE_PERSONAL_FIELDS = `full_name_encrypted = '${ERASED}', phone_encrypted = '${ERASED}',
  message_encrypted = NULL, personal_data_erased_at = now()`;

/**
 * The timeline of request `r`, in the order of (at, n): its creation is its `received` entry
 * (migrations/…-ReceivedImpliedByCreatedAt.ts), then its events. Requests stored before that have a `received`
 * event too, which is left out.
 */
const TIMELINE = `SELECT 'received'::consultation_event_status AS status, r.created_at AS at, 0::bigint AS n
  UNION ALL
  SELECT e.status, e.at, e.id FROM consultation_events e WHERE e.request_id = r.id AND e.status <> 'received'`;

/**
 * The consents of request `r`: the one given with it (a column since migrations/…-ConsentWithTheRequest.ts) and
 * any `consents` rows (how requests stored before that keep theirs).
 */
const CONSENTS = `SELECT 'consultation_routing' AS purpose, r.consent_policy_version AS policy_version,
    r.created_at AS granted_at WHERE r.consent_policy_version IS NOT NULL
  UNION ALL
  SELECT c.purpose, c.policy_version, c.granted_at FROM consents c WHERE c.request_id = r.id`;

const LEAD_COLUMNS = `r.id, r.job_order_id AS "jobOrderId", r.phone_hash AS "phoneHash",
  r.full_name_encrypted AS "fullNameEncrypted", r.phone_encrypted AS "phoneEncrypted", p.name_vi AS "provinceName",
  r.birth_year AS "birthYear", r.gender, r.message_encrypted AS "messageEncrypted", r.status, r.outcome,
  r.created_at AS "createdAt", r.assigned_at AS "assignedAt", r.first_contacted_at AS "firstContactedAt"`;

@Injectable()
export class ConsultationsRepository {
  private readonly logger = new Logger(ConsultationsRepository.name);
  private readonly batcher = new GroupCommit<PendingAccept, AcceptResult>((items) => this.runBatch(items), {
    maxBatch: ACCEPT_BATCH_MAX,
    maxInFlight: ACCEPT_BATCHES_IN_FLIGHT,
  });

  private readonly pool: Pool;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.pool = primaryPool(dataSource);
  }

  /**
   * Durably accepts a request (migrations/…-AcceptConsultationsBatch.ts): idempotency record, dedupe (one
   * request per phone and order per 24 hours), the request (with its consent; its creation is its first
   * timeline entry) and the outbox row, committed together or not at all, before this resolves, with the
   * applicant's key when `sealedWith` offers one the phone keeps. Concurrent calls share one
   * `accept_consultations()` call, hence one round trip and one commit (group commit).
   */
  accept(
    request: NewConsultation,
    sealedWith: SealedWith,
    idempotency?: { key: string; requestHash: string },
  ): Promise<AcceptResult> {
    return this.batcher.submit({ request, sealedWith, idempotency });
  }

  /**
   * Accepts a batch in one call of `accept_consultations()`: one result per item, in order. A failing item
   * fails the call (and its transaction) for the whole batch.
   */
  async acceptBatch(items: PendingAccept[]): Promise<AcceptResult[]> {
    if (new Set(items.map(({ request }) => request.consentPolicyVersion)).size > 1) {
      throw new Error('one batch, one consent policy version');
    }
    // The hottest write path: straight on the driver's pool.
    const { rows } = await this.pool.query<{
      idx: number;
      kind: AcceptResult['kind'];
      trackingCode: string | null;
      status: string | null;
      keptKey: string | null;
    }>(
      `SELECT idx, result_kind AS kind, result_code AS "trackingCode", result_status AS status,
         result_key AS "keptKey"
       FROM accept_consultations($1::jsonb, $2, $3, $4)`,
      [
        JSON.stringify(
          items.map(({ request, sealedWith, idempotency }, i) => ({
            i,
            id: request.id,
            tracking_code: request.trackingCode,
            job_order_id: request.jobOrderId,
            agency_id: request.agencyId,
            full_name_encrypted: request.fullNameEncrypted,
            phone_encrypted: request.phoneEncrypted,
            phone_hash: request.phoneHash,
            province_code: request.provinceCode,
            birth_year: request.birthYear,
            gender: request.gender,
            message_encrypted: request.messageEncrypted,
            ip_hash: request.ipHash,
            job_id: intakeJobId(request.id),
            key: idempotency?.key ?? null,
            request_hash: idempotency?.requestHash ?? null,
            key_wrapped: sealedWith.keyWrapped,
            key_offered: sealedWith.offered,
          })),
        ),
        items[0]?.request.consentPolicyVersion,
        ConsultationQueue.Intake,
        CONSULTATION_SCOPE,
      ],
    );
    const results: (AcceptResult | undefined)[] = items.map(() => undefined);
    for (const row of rows) {
      results[row.idx] =
        row.kind === 'rekey'
          ? { kind: row.kind, keptKey: row.keptKey }
          : row.kind === 'key-reused' || row.kind === 'in-progress'
            ? { kind: row.kind }
            : {
                kind: row.kind,
                response: { trackingCode: row.trackingCode!, status: row.status as ConsultationStatus },
              };
    }
    if (rows.length !== items.length || results.includes(undefined)) {
      throw new Error(`accept_consultations answered ${rows.length} rows for ${items.length} items`);
    }
    return results as AcceptResult[];
  }

  /**
   * One batch of the group commit. When the call fails, nothing of it was committed (or, after a lost
   * connection, all of it was: the dedupe and the keys then answer with the same codes), so each item is
   * retried alone and fails alone.
   */
  private async runBatch(items: PendingAccept[]): Promise<Outcome<AcceptResult>[]> {
    try {
      return (await this.acceptBatch(items)).map((value) => ({ ok: true, value }));
    } catch (error) {
      if (items.length === 1) return [{ ok: false, error }];
      this.logger.warn(
        { err: error instanceof Error ? error.message : error, items: items.length },
        'consultation batch failed; retrying its requests one by one',
      );
      return Promise.all(
        items.map((item) =>
          this.acceptBatch([item]).then(
            ([value]): Outcome<AcceptResult> => ({ ok: true, value }),
            (itemError: unknown): Outcome<AcceptResult> => ({ ok: false, error: itemError }),
          ),
        ),
      );
    }
  }

  async findByTrackingCode(trackingCode: string): Promise<TrackingRow | undefined> {
    const rows: TrackingRow[] = await this.dataSource.query(
      `SELECT r.id, r.tracking_code AS "trackingCode", r.phone_hash AS "phoneHash", r.status,
         r.rejection_reason AS "rejectionReason", o.id AS "jobOrderId", o.title AS "jobOrderTitle",
         a.id AS "agencyId", a.name AS "agencyName", a.license_number AS "agencyLicenseNumber"
       FROM consultation_requests r JOIN job_orders o ON o.id = r.job_order_id JOIN agencies a ON a.id = r.agency_id
       WHERE r.tracking_code = $1`,
      [trackingCode],
    );
    return rows[0];
  }

  /** The requests made with one phone, newest first. */
  findForPhone(
    phoneHash: string,
    filter: { after?: { createdAt: string; id: string }; limit: number },
  ): Promise<(ApplicantRequestRow & { sortKey: string })[]> {
    const params: unknown[] = [phoneHash, filter.limit];
    const after = filter.after
      ? `AND (r.created_at, r.id) < ($${params.push(filter.after.createdAt)}::timestamptz, $${params.push(filter.after.id)}::uuid)`
      : '';
    return this.dataSource.query(
      `SELECT r.id, r.tracking_code AS "trackingCode", r.status, r.created_at AS "createdAt",
         r.created_at::text AS "sortKey", o.id AS "jobOrderId", o.title AS "jobOrderTitle", a.id AS "agencyId",
         a.name AS "agencyName", a.license_number AS "agencyLicenseNumber"
       FROM consultation_requests r JOIN job_orders o ON o.id = r.job_order_id JOIN agencies a ON a.id = r.agency_id
       WHERE r.phone_hash = $1 ${after} ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      params,
    );
  }

  /** A request by its tracking code, locked while its applicant changes it. */
  async lockByTrackingCode(
    tx: Tx,
    trackingCode: string,
  ): Promise<
    | { id: string; phoneHash: string; status: ConsultationStatus; agencyId: string; assigned: boolean }
    | undefined
  > {
    const rows: {
      id: string;
      phoneHash: string;
      status: ConsultationStatus;
      agencyId: string;
      assigned: boolean;
    }[] = await tx.query(
      `SELECT id, phone_hash AS "phoneHash", status, agency_id AS "agencyId", assigned_at IS NOT NULL AS assigned
         FROM consultation_requests WHERE tracking_code = $1 FOR UPDATE`,
      [trackingCode],
    );
    return rows[0];
  }

  /** Ends a request at its applicant's wish; its name, phone and message go at once. */
  async markWithdrawn(tx: Tx, requestId: string): Promise<void> {
    await tx.query(
      `UPDATE consultation_requests SET status = 'withdrawn', updated_at = now(), ${ERASE_PERSONAL_FIELDS}
       WHERE id = $1`,
      [requestId],
    );
    await tx.query(
      `INSERT INTO consultation_events (request_id, status) VALUES ($1, 'withdrawn')
       ON CONFLICT (request_id, status) DO NOTHING`,
      [requestId],
    );
  }

  /** The phone as sealed in one of its requests whose personal fields still exist. */
  async findSealedPhone(phoneHash: string): Promise<string | undefined> {
    const rows: { phoneEncrypted: string }[] = await this.dataSource.query(
      `SELECT phone_encrypted AS "phoneEncrypted" FROM consultation_requests
       WHERE phone_hash = $1 AND personal_data_erased_at IS NULL LIMIT 1`,
      [phoneHash],
    );
    return rows[0]?.phoneEncrypted;
  }

  /** Everything held about one phone's requests, oldest first, for its applicant's export. */
  findExportForPhone(phoneHash: string): Promise<ExportRow[]> {
    return this.dataSource.query(
      `SELECT r.tracking_code AS "trackingCode", r.status, r.rejection_reason AS "rejectionReason",
         r.outcome, r.created_at AS "createdAt", r.full_name_encrypted AS "fullNameEncrypted",
         r.phone_encrypted AS "phoneEncrypted", r.message_encrypted AS "messageEncrypted",
         p.name_vi AS "provinceName", r.birth_year AS "birthYear", r.gender,
         r.personal_data_erased_at AS "personalDataErasedAt", o.id AS "jobOrderId", o.title AS "jobOrderTitle",
         a.id AS "agencyId", a.name AS "agencyName", a.license_number AS "agencyLicenseNumber",
         (SELECT coalesce(json_agg(json_build_object('status', t.status, 'at', t.at) ORDER BY t.at, t.n), '[]')
            FROM (${TIMELINE}) t) AS timeline,
         (SELECT coalesce(json_agg(json_build_object('purpose', c.purpose, 'policyVersion', c.policy_version,
              'grantedAt', c.granted_at) ORDER BY c.granted_at), '[]')
            FROM (${CONSENTS}) c) AS consents
       FROM consultation_requests r JOIN provinces p ON p.code = r.province_code
         JOIN job_orders o ON o.id = r.job_order_id JOIN agencies a ON a.id = r.agency_id
       WHERE r.phone_hash = $1 ORDER BY r.created_at, r.id`,
      [phoneHash],
    );
  }

  /** Erases the personal fields of every request of a phone; returns those that reached an agency. */
  async eraseForPhone(tx: Tx, phoneHash: string): Promise<{ id: string; agencyId: string }[]> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [{ id: string; agencyId: string; assigned: boolean }[], number] = await tx.query(
      `UPDATE consultation_requests SET ${ERASE_PERSONAL_FIELDS}, updated_at = now()
       WHERE phone_hash = $1 AND personal_data_erased_at IS NULL
       RETURNING id, agency_id AS "agencyId", assigned_at IS NOT NULL AS assigned`,
      [phoneHash],
    );
    return rows.filter((row) => row.assigned);
  }

  /**
   * Retention: erases the personal fields of up to `limit` requests nobody touched for `months` (ended ones
   * included), skipping rows another run holds. Returns how many it erased.
   */
  async eraseUntouchedSince(months: number, limit: number): Promise<number> {
    const [, erased]: [unknown, number] = await this.dataSource.query(
      `UPDATE consultation_requests SET ${ERASE_PERSONAL_FIELDS}
       WHERE id IN (SELECT id FROM consultation_requests
         WHERE personal_data_erased_at IS NULL AND updated_at < now() - make_interval(months => $1)
         ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [months, limit],
    );
    return erased;
  }

  findTimeline(requestId: string): Promise<{ status: ConsultationStatus; at: Date }[]> {
    return this.dataSource.query(
      `SELECT t.status, t.at FROM consultation_requests r CROSS JOIN LATERAL (${TIMELINE}) t
       WHERE r.id = $1 ORDER BY t.at, t.n`,
      [requestId],
    );
  }

  /** A request still `received`, locked for its decision; undefined once it has been handled. */
  async lockReceived(tx: Tx, requestId: string): Promise<ReceivedRequest | undefined> {
    const rows: ReceivedRequest[] = await tx.query(
      `SELECT job_order_id AS "jobOrderId", agency_id AS "agencyId", birth_year AS "birthYear", gender,
         province_code AS "provinceCode"
         FROM consultation_requests WHERE id = $1 AND status = 'received' FOR UPDATE`,
      [requestId],
    );
    return rows[0];
  }

  /** `lockReceived` for several requests at once, locked in id order; those no longer received are left out. */
  async lockReceivedMany(tx: Tx, requestIds: string[]): Promise<Map<string, ReceivedRequest>> {
    const rows: (ReceivedRequest & { id: string })[] = await tx.query(
      `SELECT id, job_order_id AS "jobOrderId", agency_id AS "agencyId", birth_year AS "birthYear", gender,
         province_code AS "provinceCode"
         FROM consultation_requests WHERE id = ANY($1::uuid[]) AND status = 'received' ORDER BY id FOR UPDATE`,
      [requestIds],
    );
    return new Map(rows.map(({ id, ...request }) => [id, request]));
  }

  async markRejected(tx: Tx, requestId: string, reason: RejectionReason): Promise<void> {
    await tx.query(
      `UPDATE consultation_requests SET status = 'rejected', rejection_reason = $2, updated_at = now() WHERE id = $1`,
      [requestId, reason],
    );
    await tx.query(
      `INSERT INTO consultation_events (request_id, status, reason) VALUES ($1, 'rejected', $2)
       ON CONFLICT (request_id, status) DO NOTHING`,
      [requestId, reason],
    );
  }

  async markAssigned(tx: Tx, requestId: string): Promise<void> {
    await tx.query(
      `UPDATE consultation_requests SET status = 'assigned', assigned_at = now(), updated_at = now() WHERE id = $1`,
      [requestId],
    );
    await tx.query(
      `INSERT INTO consultation_events (request_id, status) VALUES ($1, 'assigned')
       ON CONFLICT (request_id, status) DO NOTHING`,
      [requestId],
    );
  }

  /** `markAssigned` for several requests at once. */
  async markAssignedMany(tx: Tx, requestIds: string[]): Promise<void> {
    await tx.query(
      `UPDATE consultation_requests SET status = 'assigned', assigned_at = now(), updated_at = now()
       WHERE id = ANY($1::uuid[])`,
      [requestIds],
    );
    await tx.query(
      `INSERT INTO consultation_events (request_id, status) SELECT unnest($1::uuid[]), 'assigned'
       ON CONFLICT (request_id, status) DO NOTHING`,
      [requestIds],
    );
  }

  findLeadForAgency(agencyId: string, requestId: string): Promise<LeadRow[]> {
    return this.dataSource.query(
      `SELECT ${LEAD_COLUMNS} FROM consultation_requests r JOIN provinces p ON p.code = r.province_code
       WHERE r.agency_id = $1 AND r.id = $2 AND r.assigned_at IS NOT NULL`,
      [agencyId, requestId],
    );
  }

  /** Several of the agency's leads at once (the webhook dispatcher's batches). */
  findLeadsForAgencyByIds(agencyId: string, requestIds: string[]): Promise<LeadRow[]> {
    return this.dataSource.query(
      `SELECT ${LEAD_COLUMNS} FROM consultation_requests r JOIN provinces p ON p.code = r.province_code
       WHERE r.agency_id = $1 AND r.id = ANY($2::uuid[]) AND r.assigned_at IS NOT NULL`,
      [agencyId, requestIds],
    );
  }

  /** The status of one of the agency's leads, locked for a transition. */
  async lockLeadForAgency(
    tx: Tx,
    agencyId: string,
    requestId: string,
  ): Promise<{ status: ConsultationStatus; outcome: ConsultationOutcome | null } | undefined> {
    const rows: { status: ConsultationStatus; outcome: ConsultationOutcome | null }[] = await tx.query(
      `SELECT status, outcome FROM consultation_requests
       WHERE agency_id = $1 AND id = $2 AND status IN ('assigned', 'contacted', 'closed') FOR UPDATE`,
      [agencyId, requestId],
    );
    return rows[0];
  }

  /** Leads assigned to one agency, newest first; never requests still being checked or rejected. */
  findLeadsForAgency(
    agencyId: string,
    filter: { status?: ConsultationStatus; after?: { createdAt: string; id: string }; limit: number },
  ): Promise<LeadRow[]> {
    const params: unknown[] = [agencyId];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where = [`r.agency_id = $1`, `r.status IN ('assigned', 'contacted', 'closed', 'withdrawn')`];
    if (filter.status) where.push(`r.status = ${bind(filter.status)}`);
    if (filter.after) {
      where.push(
        `(r.created_at, r.id) < (${bind(filter.after.createdAt)}::timestamptz, ${bind(filter.after.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT ${LEAD_COLUMNS}, r.created_at::text AS "sortKey"
       FROM consultation_requests r JOIN provinces p ON p.code = r.province_code
       WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  /** Moves an agency's lead forward; returns false when the transition does not apply. */
  async updateLeadForAgency(
    manager: Tx,
    agencyId: string,
    requestId: string,
    change: { status: 'contacted' | 'closed'; outcome: ConsultationOutcome | null },
  ): Promise<boolean> {
    const from = change.status === 'contacted' ? ['assigned'] : ['assigned', 'contacted'];
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE consultation_requests SET status = $3::consultation_status, updated_at = now(),
         first_contacted_at = COALESCE(first_contacted_at,
             CASE WHEN $3::consultation_status = 'contacted' OR $4::consultation_outcome <> 'no_answer' THEN now() END),
         closed_at = CASE WHEN $3::consultation_status = 'closed' THEN now() ELSE closed_at END,
         outcome = CASE WHEN $3::consultation_status = 'closed' THEN $4::consultation_outcome ELSE outcome END
       WHERE agency_id = $1 AND id = $2 AND status = ANY($5::consultation_status[])`,
      [agencyId, requestId, change.status, change.outcome, from],
    );
    if (affected === 0) return false;
    await manager.query(
      `INSERT INTO consultation_events (request_id, status) VALUES ($1, $2) ON CONFLICT (request_id, status) DO NOTHING`,
      [requestId, change.status],
    );
    return true;
  }

  /** Requests still `received` after `olderThanSeconds`, oldest first. */
  async findStalledIntakes(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM consultation_requests
       WHERE status = 'received' AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Idempotency keys answer retries for 24 hours; they are kept twice that. */
  async purgeExpiredKeys(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - interval '48 hours'`,
    );
  }
}
