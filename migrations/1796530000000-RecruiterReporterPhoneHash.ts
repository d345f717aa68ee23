import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A recruiter report's call-back number gets its keyed hash, so that the reporter's data rights find it.
 * Reports filed before it get theirs when the worker starts (apps/worker/src/data-rights/legacy-phone-hashes.ts):
 * a keyed hash needs the application's key, which a migration does not have.
 */
export class RecruiterReporterPhoneHash1796530000000 implements MigrationInterface {
  name = 'RecruiterReporterPhoneHash1796530000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "recruiter_reports" ADD "reporter_phone_hash" character(64)`);
    await queryRunner.query(`
            CREATE INDEX "IDX_recruiter_reports_reporter_phone" ON "recruiter_reports" ("reporter_phone_hash")
            WHERE reporter_phone_hash IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_recruiter_reports_reporter_phone"`);
    await queryRunner.query(`ALTER TABLE "recruiter_reports" DROP COLUMN "reporter_phone_hash"`);
  }
}
