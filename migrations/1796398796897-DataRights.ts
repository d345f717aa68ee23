import { MigrationInterface, QueryRunner } from 'typeorm';

/** Data rights: per-applicant keys (crypto-shredding), erasure requests, withdrawn requests, webhook events. */
export class DataRights1796398796897 implements MigrationInterface {
  name = 'DataRights1796398796897';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Appended in place: the ranking triggers' WHEN clauses name these columns, so the types cannot be
    // rebuilt; a new value may be used once this transaction has committed.
    await queryRunner.query(`ALTER TYPE "public"."consultation_status" ADD VALUE 'withdrawn'`);
    await queryRunner.query(`ALTER TYPE "public"."consultation_event_status" ADD VALUE 'withdrawn'`);
    await queryRunner.query(`
            CREATE TABLE "applicant_keys" (
                "phone_hash" character(64) NOT NULL,
                "key_wrapped" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "erased_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_c0ab6759579d1caafec3ceee1cf" PRIMARY KEY ("phone_hash")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "erasure_requests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "phone_hash" character(64) NOT NULL,
                "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "done_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_75acaa00d66ed88c38230c54505" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "consultation_requests"
            ADD "personal_data_erased_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD "event" character varying(40) NOT NULL DEFAULT 'consultation.assigned'
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "PK_d899f6440acc965c24da804ee97"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "PK_c35572901d6ce7c4a25c65cf324" PRIMARY KEY ("request_id", "event")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value: 'withdrawn' stays in the two status types.
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "PK_c35572901d6ce7c4a25c65cf324"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "PK_d899f6440acc965c24da804ee97" PRIMARY KEY ("request_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP COLUMN "event"
        `);
    await queryRunner.query(`
            ALTER TABLE "consultation_requests" DROP COLUMN "personal_data_erased_at"
        `);
    await queryRunner.query(`
            DROP TABLE "erasure_requests"
        `);
    await queryRunner.query(`
            DROP TABLE "applicant_keys"
        `);
  }
}
