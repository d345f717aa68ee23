import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';

import type { FlagSource } from './flag.entity';

export interface NewFlag {
  source: FlagSource;
  jobOrderId: string;
  agencyId: string;
  code: string;
  details: Record<string, unknown>;
  fingerprint: string;
}

@Injectable()
export class FlagsRepository {
  /** Inserts the flags that are not already open for their order; returns the new ones. */
  async raise(tx: Tx, flags: NewFlag[]): Promise<{ id: string; code: string; details: object }[]> {
    if (flags.length === 0) return [];
    return tx.query(
      `INSERT INTO flags (source, job_order_id, agency_id, code, details, fingerprint)
       SELECT * FROM unnest($1::flag_source[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[], $6::text[])
       ON CONFLICT (job_order_id, fingerprint) WHERE status = 'open' DO NOTHING
       RETURNING id, code, details`,
      [
        flags.map((flag) => flag.source),
        flags.map((flag) => flag.jobOrderId),
        flags.map((flag) => flag.agencyId),
        flags.map((flag) => flag.code),
        flags.map((flag) => JSON.stringify(flag.details)),
        flags.map((flag) => flag.fingerprint),
      ],
    );
  }
}
