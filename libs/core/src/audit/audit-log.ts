import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A transaction handle passed from a service to the repositories that write inside it. */
export type Tx = EntityManager;

export interface Actor {
  id: string | null;
  /** A user role, or `system`. */
  role: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system' };

export interface AuditRecord {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditRow {
  id: number;
  at: Date;
  actorId: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
// One chain for the whole product: appends are serialised by this transaction-scoped advisory lock.
const CHAIN_LOCK = 7_346_118_001;

/** JSON with object keys sorted at every depth, so one entry has exactly one encoding. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function entryHash(prevHash: string, entry: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    id: String(entry.id),
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/** The tamper-evident audit log. Entries are written in the caller's transaction, with the change they record. */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction; repositories and `append` write through the handle it receives. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  append(tx: Tx, record: AuditRecord): Promise<void> {
    return this.appendMany(tx, [record]);
  }

  /**
   * Appends entries in their order, under one lock and one read of the chain's end.
   */
  async appendMany(tx: Tx, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [CHAIN_LOCK]);
    const [last]: { id: number; hash: string }[] = await tx.query(
      `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`,
    );
    let id = last?.id ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const columns: unknown[][] = Array.from({ length: 11 }, () => []);
    for (const record of records) {
      const entry = {
        id: ++id,
        at: new Date(),
        actorId: record.actor.id,
        actorRole: record.actor.role,
        action: record.action,
        entityType: record.entityType,
        entityId: record.entityId,
        before: normalize(record.before),
        after: normalize(record.after),
      };
      const hash = entryHash(prevHash, entry);
      [
        entry.id,
        entry.at,
        entry.actorId,
        entry.actorRole,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.before === null ? null : canonicalJson(entry.before),
        entry.after === null ? null : canonicalJson(entry.after),
        prevHash,
        hash,
      ].forEach((value, column) => columns[column].push(value));
      prevHash = hash;
    }
    await tx.query(
      `INSERT INTO audit_log (id, at, actor_id, actor_role, action, entity_type, entity_id, before, after,
         prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[],
         $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::text[])`,
      columns,
    );
  }

  list(filter: {
    entityType?: string;
    entityId?: string;
    actorId?: string;
    beforeId?: number;
    limit: number;
  }): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (filter.entityType) where.push(`entity_type = ${bind(filter.entityType)}`);
    if (filter.entityId) where.push(`entity_id = ${bind(filter.entityId)}`);
    if (filter.actorId) where.push(`actor_id = ${bind(filter.actorId)}`);
    if (filter.beforeId !== undefined) where.push(`id < ${bind(filter.beforeId)}`);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  /** Recomputes the whole chain from the first entry and reports the first one that does not hold. */
  async verify(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let expectedId = 1;
    for (;;) {
      const rows: AuditRow[] = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM audit_log WHERE id >= $1 ORDER BY id LIMIT $2`,
        [expectedId, VERIFY_BATCH],
      );
      for (const row of rows) {
        const broken = (reason: NonNullable<ChainVerification['brokenAt']>['reason'], id = row.id) => ({
          valid: false,
          entries: expectedId - 1,
          brokenAt: { id: String(id), reason },
        });
        if (row.id !== expectedId) return broken('missing_entry', expectedId);
        if (row.prevHash !== prevHash) return broken('prev_hash_mismatch');
        if (row.hash !== entryHash(prevHash, row)) return broken('hash_mismatch');
        prevHash = row.hash;
        expectedId += 1;
      }
      if (rows.length < VERIFY_BATCH) return { valid: true, entries: expectedId - 1 };
    }
  }
}

export interface ChainVerification {
  valid: boolean;
  entries: number;
  /** The first entry whose hash, predecessor link or position does not hold. */
  brokenAt?: { id: string; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_entry' };
}

const VERIFY_BATCH = 5000;
const COLUMNS = `id, at, actor_id AS "actorId", actor_role AS "actorRole", action, entity_type AS "entityType",
  entity_id AS "entityId", before, after, prev_hash AS "prevHash", hash`;

/** What jsonb will give back: plain JSON values, dates as ISO strings. */
function normalize(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  return value ? (JSON.parse(canonicalJson(value)) as Record<string, unknown>) : null;
}
