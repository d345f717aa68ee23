import { randomUUID } from 'node:crypto';

import {
  Actor,
  AuditLog,
  decodeKeyset,
  isUuid,
  Page,
  PersonalDataCipher,
  ProblemException,
  SYSTEM_ACTOR,
  toPage,
  Tx,
} from '@app/core';
import { HttpStatus, Injectable } from '@nestjs/common';

import type { Violation, WordingFlag } from './compliance.engine';
import { FlagDto, FlagQueryDto, ResolveFlagDto } from './dto/flag.dto';
import type { FlagStatus } from './flag.entity';
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

  /**
   * Files a public report of a recruiter under the open flag of the number, link or name it names (`kind`
   * and the canonical `key`), opening one if there is none; returns the flag's id. The audit log keeps the
   * kind only: the key may be a person's phone number, and the log is never erased.
   */
  async raiseRecruiterReport(tx: Tx, recruiter: { kind: string; key: string }): Promise<string> {
    const flag = await this.repository.openForRecruiter(tx, `recruiter:${recruiter.kind}:${recruiter.key}`, {
      kind: recruiter.kind,
      key: recruiter.key,
    });
    if (flag.opened) {
      await this.audit.append(tx, {
        actor: { id: null, role: 'public' },
        action: 'flag.raise',
        entityType: 'flag',
        entityId: flag.id,
        after: { code: 'UNLICENSED_RECRUITER', details: { kind: recruiter.kind } },
      });
    }
    return flag.id;
  }

  /** The status of each flag by id (absent ids are left out). */
  statuses(ids: string[]): Promise<Map<string, FlagStatus>> {
    return this.repository.statuses([...new Set(ids)].filter(isUuid));
  }

  async list(query: FlagQueryDto): Promise<Page<FlagDto>> {
    const after = decodeKeyset(query.cursor);
    const rows = await this.repository.list({
      status: query.status,
      source: query.source,
      agencyId: query.agencyId,
      jobOrderId: query.jobOrderId,
      after: after && { createdAt: after.key, id: after.id },
      limit: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (row) => this.toDto(row),
      (row) => [row.sortKey, row.id],
    );
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
        // A report's free text may name or quote people: the append-only log keeps only its reason.
        after: {
          jobOrderId: flags[0].jobOrderId,
          code: flag.code,
          details:
            flag.code === 'REPORT' ? { reason: (flag.details as { reason?: string }).reason } : flag.details,
        },
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
      jobOrder: row.jobOrderId ? { id: row.jobOrderId, title: row.jobOrderTitle! } : null,
      agency: row.agencyId ? { id: row.agencyId, name: row.agencyName! } : null,
      details: row.details,
      contactPhone: row.contactPhoneEncrypted ? this.cipher.decrypt(row.contactPhoneEncrypted) : null,
      createdAt: row.createdAt.toISOString(),
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
      resolutionNote: row.resolutionNote,
    };
  }
}
