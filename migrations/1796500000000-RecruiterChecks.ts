import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Check before you pay: recruiter reports filed as regulator flags that name no order (source
 * unlicensed_recruiter), and agencies' hotlines looked up by their canonical number.
 *
 * f_phone_key is normalizeVietnameseNumber (libs/core/src/text/phone.ts) in SQL: a Vietnamese mobile or fixed
 * line as E.164, a 1800/1900 number as its digits, anything else NULL. An agency writes its hotline as it
 * likes ("024 0000 0101"); the expression index finds it by the key of whatever form a worker types.
 */
export class RecruiterChecks1796500000000 implements MigrationInterface {
  name = 'RecruiterChecks1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Added, not rebuilt: the ranking triggers on flags block rebuilding the type.
    await queryRunner.query(
      `ALTER TYPE "public"."flag_source" ADD VALUE IF NOT EXISTS 'unlicensed_recruiter'`,
    );
    await queryRunner.query(`ALTER TABLE "flags" ALTER COLUMN "job_order_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "flags" ALTER COLUMN "agency_id" DROP NOT NULL`);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_flags_open_recruiter" ON "flags" ("fingerprint")
            WHERE status = 'open' AND job_order_id IS NULL
        `);
    // A recruiter's flag names no agency: upholding it is no incident of any agency's ranking.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ranking_on_flag_upheld() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.agency_id IS NOT NULL THEN
          PERFORM ranking_record_incident(NEW.agency_id, 'flag_upheld', NEW.id);
        END IF;
        RETURN NULL;
      END $$`);

    await queryRunner.query(`
            CREATE TYPE "public"."recruiter_key_kind" AS ENUM('phone', 'link', 'name')
        `);
    await queryRunner.query(`
            CREATE TABLE "recruiter_reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "group_kind" "public"."recruiter_key_kind" NOT NULL,
                "group_key" character varying(300) NOT NULL,
                "recruiter_name" character varying(200),
                "recruiter_name_search" text,
                "recruiter_phone" character varying(20),
                "recruiter_link" character varying(300),
                "channel" character varying(20),
                "country_code" character(2),
                "promised" text NOT NULL,
                "asked_amount_vnd" bigint,
                "paid_amount_vnd" bigint,
                "detail" text,
                "reporter_phone_encrypted" text,
                "reporter_consent_at" TIMESTAMP WITH TIME ZONE,
                "reporter_ip_hash" character(64) NOT NULL,
                "flag_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_recruiter_reports" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_recruiter_reports_phone" ON "recruiter_reports" ("recruiter_phone")
            WHERE recruiter_phone IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_recruiter_reports_link" ON "recruiter_reports" ("recruiter_link")
            WHERE recruiter_link IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_recruiter_reports_flag" ON "recruiter_reports" ("flag_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_recruiter_reports_group" ON "recruiter_reports" ("group_kind", "group_key", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_recruiter_reports_created" ON "recruiter_reports" ("created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "recruiter_reports"
            ADD CONSTRAINT "FK_recruiter_reports_flag" FOREIGN KEY ("flag_id") REFERENCES "flags"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(
      `CREATE INDEX "IDX_recruiter_reports_name_trgm" ON recruiter_reports USING gin (recruiter_name_search gin_trgm_ops)`,
    );

    await queryRunner.query(`
      CREATE FUNCTION f_phone_key(phone text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT CASE
          WHEN digits ~ '^1[89]00[0-9]{4,6}$' THEN digits
          WHEN national ~ '^((3[2-9]|5[25689]|7[06789]|8[1-9]|9[0-9])[0-9]{7}|2[0-9]{9})$' THEN '+84' || national
        END
        FROM (
          SELECT digits, CASE
            WHEN digits ~ '^\\+84[0-9]+$' THEN substr(digits, 4)
            WHEN digits ~ '^84([0-9]{9}|2[0-9]{9})$' THEN substr(digits, 3)
            WHEN digits ~ '^0[0-9]+$' THEN substr(digits, 2)
          END AS national
          FROM (SELECT regexp_replace(btrim(phone), '[[:space:].()-]', '', 'g') AS digits) compacted
        ) parts
      $$`);
    await queryRunner.query(`CREATE INDEX "IDX_agencies_hotline_key" ON agencies (f_phone_key(hotline))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_agencies_hotline_key"`);
    await queryRunner.query(`DROP FUNCTION f_phone_key(text)`);
    await queryRunner.query(`DROP TABLE "recruiter_reports"`);
    await queryRunner.query(`DROP TYPE "public"."recruiter_key_kind"`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ranking_on_flag_upheld() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ranking_record_incident(NEW.agency_id, 'flag_upheld', NEW.id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`DROP INDEX "public"."UQ_flags_open_recruiter"`);
    await queryRunner.query(`DELETE FROM flags WHERE job_order_id IS NULL`);
    await queryRunner.query(`ALTER TABLE "flags" ALTER COLUMN "agency_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "flags" ALTER COLUMN "job_order_id" SET NOT NULL`);
    // PostgreSQL cannot drop an enum value; 'unlicensed_recruiter' stays in flag_source, unused.
  }
}
