import { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class ApplicantKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Each phone's wrapped key: the stored one, or the offered one where the phone has none (or had it
   * destroyed by an erasure). A phone whose key another transaction is creating at the same moment may be
   * missing from the answer; asking again finds it.
   */
  async ensure(offers: { phoneHash: string; keyWrapped: string }[]): Promise<Map<string, string>> {
    const rows: { phoneHash: string; keyWrapped: string }[] = await this.dataSource.query(
      `WITH offer AS (SELECT * FROM unnest($1::char(64)[], $2::text[]) AS t(phone_hash, key_wrapped)),
       created AS (
         INSERT INTO applicant_keys (phone_hash, key_wrapped) SELECT phone_hash, key_wrapped FROM offer
         ON CONFLICT (phone_hash) DO UPDATE SET key_wrapped = EXCLUDED.key_wrapped, erased_at = NULL
           WHERE applicant_keys.key_wrapped IS NULL
         RETURNING phone_hash, key_wrapped)
       SELECT phone_hash AS "phoneHash", key_wrapped AS "keyWrapped" FROM created
       UNION ALL
       SELECT k.phone_hash, k.key_wrapped FROM applicant_keys k JOIN offer USING (phone_hash)
       WHERE k.key_wrapped IS NOT NULL AND NOT EXISTS (SELECT 1 FROM created c WHERE c.phone_hash = k.phone_hash)`,
      [offers.map((offer) => offer.phoneHash), offers.map((offer) => offer.keyWrapped)],
    );
    return new Map(rows.map((row) => [row.phoneHash, row.keyWrapped]));
  }

  /** The live keys of these phones; an erased or never-created key is absent. */
  async find(phoneHashes: string[]): Promise<Map<string, string>> {
    const rows: { phoneHash: string; keyWrapped: string }[] = await this.dataSource.query(
      `SELECT phone_hash AS "phoneHash", key_wrapped AS "keyWrapped" FROM applicant_keys
       WHERE phone_hash = ANY($1::char(64)[]) AND key_wrapped IS NOT NULL`,
      [phoneHashes],
    );
    return new Map(rows.map((row) => [row.phoneHash, row.keyWrapped]));
  }

  /** Crypto-shredding: the key is gone, so is everything sealed under it. */
  async destroy(tx: Tx, phoneHash: string): Promise<void> {
    await tx.query(`UPDATE applicant_keys SET key_wrapped = NULL, erased_at = now() WHERE phone_hash = $1`, [
      phoneHash,
    ]);
  }
}
