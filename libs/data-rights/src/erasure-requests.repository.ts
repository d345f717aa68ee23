import { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';

@Injectable()
export class ErasureRequestsRepository {
  async insert(tx: Tx, phoneHash: string): Promise<string> {
    const [row]: { id: string }[] = await tx.query(
      `INSERT INTO erasure_requests (phone_hash) VALUES ($1) RETURNING id`,
      [phoneHash],
    );
    return row.id;
  }

  /** A pending erasure, locked while it is carried out; undefined once done. */
  async lockPending(tx: Tx, id: string): Promise<{ phoneHash: string } | undefined> {
    const rows: { phoneHash: string }[] = await tx.query(
      `SELECT phone_hash AS "phoneHash" FROM erasure_requests WHERE id = $1 AND done_at IS NULL FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async markDone(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE erasure_requests SET done_at = now() WHERE id = $1`, [id]);
  }
}
