import { MigrationInterface, QueryRunner } from 'typeorm';

export class AgencyWorkspace1796148783455 implements MigrationInterface {
  name = 'AgencyWorkspace1796148783455';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" bigint NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "actor_id" uuid,
                "actor_role" character varying(20) NOT NULL,
                "action" character varying(60) NOT NULL,
                "entity_type" character varying(40) NOT NULL,
                "entity_id" character varying(64) NOT NULL,
                "before" jsonb,
                "after" jsonb,
                "prev_hash" character(64) NOT NULL,
                "hash" character(64) NOT NULL,
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_8720a34a7f1ebda6f2b3b29f7e" ON "audit_log" ("hash")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_audit_log_actor" ON "audit_log" ("actor_id", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_audit_log_entity" ON "audit_log" ("entity_type", "entity_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "departure_reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "agency_id" uuid NOT NULL,
                "month" character(7) NOT NULL,
                "country_code" character(2) NOT NULL,
                "total" integer NOT NULL,
                "women" integer NOT NULL,
                "reported_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_departure_reports_women" CHECK (
                    women >= 0
                    AND women <= total
                ),
                CONSTRAINT "PK_271872a6871ebb613878ec7a4cd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_departure_reports_month" ON "departure_reports" ("month")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_departure_reports_agency_month_country" ON "departure_reports" ("agency_id", "month", "country_code")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."flag_source" AS ENUM('compliance', 'report')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."flag_status" AS ENUM('open', 'upheld', 'dismissed')
        `);
    await queryRunner.query(`
            CREATE TABLE "flags" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "source" "public"."flag_source" NOT NULL,
                "job_order_id" uuid NOT NULL,
                "agency_id" uuid NOT NULL,
                "code" character varying(40) NOT NULL,
                "details" jsonb NOT NULL DEFAULT '{}',
                "fingerprint" character varying(200) NOT NULL,
                "status" "public"."flag_status" NOT NULL DEFAULT 'open',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "resolved_at" TIMESTAMP WITH TIME ZONE,
                "resolved_by" uuid,
                "resolution_note" text,
                CONSTRAINT "PK_ea7e333c92a55de9e9b8d0b9afd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_f085c5102ac77088a379f865ae" ON "flags" ("agency_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_flags_open_fingerprint" ON "flags" ("job_order_id", "fingerprint")
            WHERE status = 'open'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_flags_status_created" ON "flags" ("status", "created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "job_orders"
            ADD "registration_rejection_reason" text
        `);
    await queryRunner.query(`
            ALTER TABLE "job_orders"
            ADD "takedown_reason" text
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_job_orders_agency_created" ON "job_orders" ("agency_id", "created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "departure_reports"
            ADD CONSTRAINT "FK_1875cdd7a306283adaae41e5b57" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "departure_reports"
            ADD CONSTRAINT "FK_083c3f287bf6255404c95126aa0" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "flags"
            ADD CONSTRAINT "FK_0ae2a782eacb449b52eddbaf7ce" FOREIGN KEY ("job_order_id") REFERENCES "job_orders"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "flags" DROP CONSTRAINT "FK_0ae2a782eacb449b52eddbaf7ce"
        `);
    await queryRunner.query(`
            ALTER TABLE "departure_reports" DROP CONSTRAINT "FK_083c3f287bf6255404c95126aa0"
        `);
    await queryRunner.query(`
            ALTER TABLE "departure_reports" DROP CONSTRAINT "FK_1875cdd7a306283adaae41e5b57"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_job_orders_agency_created"
        `);
    await queryRunner.query(`
            ALTER TABLE "job_orders" DROP COLUMN "takedown_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "job_orders" DROP COLUMN "registration_rejection_reason"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_flags_status_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_flags_open_fingerprint"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_f085c5102ac77088a379f865ae"
        `);
    await queryRunner.query(`
            DROP TABLE "flags"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."flag_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."flag_source"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_departure_reports_agency_month_country"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_departure_reports_month"
        `);
    await queryRunner.query(`
            DROP TABLE "departure_reports"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_log_entity"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_log_actor"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_8720a34a7f1ebda6f2b3b29f7e"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
  }
}
