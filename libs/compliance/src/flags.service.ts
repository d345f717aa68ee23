import { AuditLog, SYSTEM_ACTOR, Tx } from '@app/core';
import { Injectable } from '@nestjs/common';

import type { Violation, WordingFlag } from './compliance.engine';
import { FlagsRepository } from './flags.repository';

/** The regulators' flag queue, fed by the compliance engine and by public reports. */
@Injectable()
export class FlagsService {
  constructor(
    private readonly repository: FlagsRepository,
    private readonly audit: AuditLog,
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
    const raised = await this.repository.raise(tx, flags);
    for (const flag of raised) {
      await this.audit.append(tx, {
        actor: SYSTEM_ACTOR,
        action: 'flag.raise',
        entityType: 'flag',
        entityId: flag.id,
        after: { jobOrderId: order.id, code: flag.code, details: flag.details },
      });
    }
    return raised.length;
  }
}
