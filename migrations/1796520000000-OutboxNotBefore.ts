import { MigrationInterface, QueryRunner } from 'typeorm';

/** An outbox job may wait in its queue until a time (alert texts matched during the quiet hours). */
export class OutboxNotBefore1796520000000 implements MigrationInterface {
  name = 'OutboxNotBefore1796520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" ADD "not_before" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "not_before"`);
  }
}
