import { randomUUID } from 'node:crypto';

import {
  Actor,
  AuditLog,
  decodeCursor,
  encodeCursor,
  isUuid,
  Page,
  PersonalDataCipher,
  ProblemException,
  SYSTEM_ACTOR,
  Tx,
} from '@app/core';
import { HttpStatus, Injectable } from '@nestjs/common';

import type { Violation, WordingFlag } from './compliance.engine';
import { FlagDto, FlagQueryDto, ResolveFlagDto } from './dto/flag.dto';
import { FlagRow, FlagsRepository, NewFlag } from './flags.repository';

/** The regulators' flag queue, fed by the compliance engine and by public reports. */
@Injectable()
export class FlagsService {
  constructor(
    private readonly repository: FlagsRepository,
    private readonly audit: AuditLog,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** Raises a compliance flag per violation and per suspicious phrase, in the caller's transaction. */
  async raiseForOrder(
    tx: Tx,
    order: { id: string; agencyId: string },
    findings: { violations?: Violation[]; flags?: WordingFlag[] },
  ): Promise<number> {
    const flags = [
      ...(findings.violations ?? []).map((violation) => ({
        code: violation.code,
        details: { ...violation },
        fingerprint: violation.code,
      })),
      ...(findings.flags ?? []).map((flag) => ({
        code: flag.code,
        details: { ...flag },
        fingerprint: `${flag.code}:${flag.field}:${flag.phrase}`,
      })),
    ].map((flag) => ({
      ...flag,
      source: 'compliance' as const,
      jobOrderId: order.id,
      agencyId: order.agencyId,
    }));
    return (await this.raise(tx, SYSTEM_ACTOR, flags)).length;
  }

  /** A public report of a listing; each report is its own flag. */
  async raiseReport(
    tx: Tx,
    order: { id: string; agencyId: string },
    report: {
      reason: string;
      detail: string | null;
      contactPhoneEncrypted: string | null;
      reporterIpHash: string;
    },
  ): Promise<string> {
    const [flag] = await this.raise(tx, { id: null, role: 'public' }, [
      {
        source: 'report',
        jobOrderId: order.id,
        agencyId: order.agencyId,
        code: 'REPORT',
        details: { reason: report.reason, detail: report.detail },
        fingerprint: `report:${randomUUID()}`,
        contactPhoneEncrypted: report.contactPhoneEncrypted,
        reporterIpHash: report.reporterIpHash,
      },
    ]);
    return flag.id;
  }

  async list(query: FlagQueryDto): Promise<Page<FlagDto>> {
    const after = query.cursor ? decodeCursor(query.cursor, ['s', 's']) : undefined;
    if (after && !isUuid(String(after[1]))) throw new ProblemException(400, 'INVALID_CURSOR');
    const rows = await this.repository.list({
      status: query.status,
      source: query.source,
      agencyId: query.agencyId,
      jobOrderId: query.jobOrderId,
      after: after && { createdAt: String(after[0]), id: String(after[1]) },
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => this.toDto(row)),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.sortKey, last.id]) : null,
    };
  }

  async resolve(actor: Actor, id: string, dto: ResolveFlagDto): Promise<FlagDto> {
    if (!isUuid(id)) throw ProblemException.notFound();
    const row = await this.audit.transaction(async (tx) => {
      const current = await this.repository.lock(tx, id);
      if (!current) throw ProblemException.notFound();
      if (current.status !== 'open') throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
      await this.repository.resolve(tx, id, { status: dto.decision, note: dto.note, by: actor.id });
      await this.audit.append(tx, {
        actor,
        action: `flag.${dto.decision === 'upheld' ? 'uphold' : 'dismiss'}`,
        entityType: 'flag',
        entityId: id,
        before: { status: current.status },
        after: {
          status: dto.decision,
          note: dto.note,
          jobOrderId: current.jobOrderId,
          agencyId: current.agencyId,
        },
      });
      return (await this.repository.lock(tx, id))!;
    });
    return this.toDto(row);
  }

  private async raise(tx: Tx, actor: Actor, flags: NewFlag[]) {
    const raised = await this.repository.raise(tx, flags);
    for (const flag of raised) {
      await this.audit.append(tx, {
        actor,
        action: 'flag.raise',
        entityType: 'flag',
        entityId: flag.id,
        after: { jobOrderId: flags[0].jobOrderId, code: flag.code, details: flag.details },
      });
    }
    return raised;
  }

  private toDto(row: FlagRow): FlagDto {
    return {
      id: row.id,
      source: row.source,
      code: row.code,
      status: row.status,
      jobOrder: { id: row.jobOrderId, title: row.jobOrderTitle },
      agency: { id: row.agencyId, name: row.agencyName },
      details: row.details,
      contactPhone: row.contactPhoneEncrypted ? this.cipher.decrypt(row.contactPhoneEncrypted) : null,
      createdAt: row.createdAt.toISOString(),
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
      resolutionNote: row.resolutionNote,
    };
  }
}
