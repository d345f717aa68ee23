import { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';

export interface VerificationRow {
  phoneHash: string;
  codeHash: string;
  failedAttempts: number;
  expired: boolean;
  confirmed: boolean;
}

@Injectable()
export class PhoneVerificationsRepository {
  async insert(
    tx: Tx,
    verification: { id: string; phoneHash: string; codeHash: string; expiresAt: Date },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO phone_verifications (id, phone_hash, code_hash, expires_at) VALUES ($1, $2, $3, $4)`,
      [verification.id, verification.phoneHash, verification.codeHash, verification.expiresAt],
    );
  }

  /** The verification, locked while a code is checked against it. */
  async lock(tx: Tx, id: string): Promise<VerificationRow | undefined> {
    const rows: VerificationRow[] = await tx.query(
      `SELECT phone_hash AS "phoneHash", code_hash AS "codeHash", failed_attempts AS "failedAttempts",
         expires_at <= now() AS expired, confirmed_at IS NOT NULL AS confirmed
       FROM phone_verifications WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async recordFailure(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE phone_verifications SET failed_attempts = failed_attempts + 1 WHERE id = $1`, [
      id,
    ]);
  }

  async markConfirmed(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE phone_verifications SET confirmed_at = now() WHERE id = $1`, [id]);
  }

  async deleteForPhone(tx: Tx, phoneHash: string): Promise<void> {
    await tx.query(`DELETE FROM phone_verifications WHERE phone_hash = $1`, [phoneHash]);
  }
}
