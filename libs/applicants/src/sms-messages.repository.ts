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

  async insertMany(
    tx: Tx,
    messages: readonly { id: string; toEncrypted: string; textEncrypted: string }[],
  ): Promise<void> {
    await tx.query(
      `INSERT INTO sms_messages (id, to_encrypted, text_encrypted)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
      [
        messages.map((message) => message.id),
        messages.map((message) => message.toEncrypted),
        messages.map((message) => message.textEncrypted),
      ],
    );
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

  /** A sent message is deleted: neither the phone nor the text outlives its delivery. */
  async delete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM sms_messages WHERE id = $1`, [id]);
  }

  async recordFailure(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sms_messages SET attempts = attempts + 1, last_error = $2 WHERE id = $1`,
      [id, error],
    );
  }
}
