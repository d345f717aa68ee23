import { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class SmsMessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(tx: Tx, id: string, toEncrypted: string, textEncrypted: string): Promise<void> {
    await tx.query(`INSERT INTO sms_messages (id, to_encrypted, text_encrypted) VALUES ($1, $2, $3)`, [
      id,
      toEncrypted,
      textEncrypted,
    ]);
  }

  /** A message not sent yet whose text still exists. */
  async findPending(id: string): Promise<{ toEncrypted: string; textEncrypted: string } | undefined> {
    const rows: { toEncrypted: string; textEncrypted: string }[] = await this.dataSource.query(
      `SELECT to_encrypted AS "toEncrypted", text_encrypted AS "textEncrypted" FROM sms_messages
       WHERE id = $1 AND sent_at IS NULL AND text_encrypted IS NOT NULL`,
      [id],
    );
    return rows[0];
  }

  async markSent(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sms_messages SET sent_at = now(), text_encrypted = NULL, attempts = attempts + 1 WHERE id = $1`,
      [id],
    );
  }

  async recordFailure(id: string, error: string, eraseText: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE sms_messages SET attempts = attempts + 1, last_error = $2,
         text_encrypted = CASE WHEN $3 THEN NULL ELSE text_encrypted END
       WHERE id = $1`,
      [id, error, eraseText],
    );
  }
}
