import { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** applicant_keys; keys are created by `ensure_applicant_keys()`, called where the first sealed fields are stored. */
@Injectable()
export class ApplicantKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The live keys of these phones; an erased or never-created key is absent. */
  async find(phoneHashes: string[]): Promise<Map<string, string>> {
    const rows: { phoneHash: string; keyWrapped: string }[] = await this.dataSource.query(
      `SELECT phone_hash AS "phoneHash", key_wrapped AS "keyWrapped" FROM applicant_keys
       WHERE phone_hash = ANY($1::char(64)[]) AND key_wrapped IS NOT NULL`,
      [phoneHashes],
    );
    return new Map(rows.map((row) => [row.phoneHash, row.keyWrapped]));
  }

  /** The phone's key after offering `offer` in `tx`: the offer where the phone had none, else the kept one. */
  async ensure(tx: Tx, phoneHash: string, offer: string): Promise<string> {
    const [row]: { keyWrapped: string }[] = await tx.query(
      `SELECT key_wrapped AS "keyWrapped" FROM ensure_applicant_keys(ARRAY[$1]::char(64)[], ARRAY[$2])`,
      [phoneHash, offer],
    );
    return row.keyWrapped;
  }

  /** Crypto-shredding: the key is gone, so is everything sealed under it. */
  async destroy(tx: Tx, phoneHash: string): Promise<void> {
    await tx.query(`UPDATE applicant_keys SET key_wrapped = NULL, erased_at = now() WHERE phone_hash = $1`, [
      phoneHash,
    ]);
  }
}
