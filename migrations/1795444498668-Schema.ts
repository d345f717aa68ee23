import { MigrationInterface, QueryRunner } from 'typeorm';

export class Schema1795444498668 implements MigrationInterface {
  name = 'Schema1795444498668';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "provinces" ("code" character varying(40) NOT NULL, "name_vi" character varying(80) NOT NULL, "name_en" character varying(80) NOT NULL, CONSTRAINT "PK_f4b684af62d5cb3aa174f6b9b8a" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "province_aliases" ("key" character varying(80) NOT NULL, "province_code" character varying(40) NOT NULL, CONSTRAINT "PK_4312ed0327e1eacb69e88ce750f" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7973e318c5d55c0ed350b37858" ON "province_aliases" ("province_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "countries" ("code" character(2) NOT NULL, "name_vi" character varying(80) NOT NULL, "name_en" character varying(80) NOT NULL, "region" character varying(20) NOT NULL, CONSTRAINT "PK_b47cbb5311bad9c9ae17b8c1eda" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "industries" ("code" character varying(40) NOT NULL, "name_vi" character varying(120) NOT NULL, "name_en" character varying(120) NOT NULL, CONSTRAINT "PK_afc1ff553ae4dfc3502ccb363d0" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "programs" ("code" character varying(40) NOT NULL, "name_vi" character varying(120) NOT NULL, "name_en" character varying(120) NOT NULL, "country_code" character(2), CONSTRAINT "PK_11924ca2e0cb47a8d9400bada03" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "exchange_rates" ("currency" character(3) NOT NULL, "vnd_per_unit" numeric(14,4) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2badd7fe7d9fce6aa939a3f9d9c" PRIMARY KEY ("currency"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."license_status" AS ENUM('pending_verification', 'active', 'suspended', 'revoked', 'expired', 'surrendered')`,
    );
    await queryRunner.query(
      `CREATE TABLE "agencies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "license_number" character varying(60) NOT NULL, "license_issued_on" date, "license_status" "public"."license_status" NOT NULL DEFAULT 'pending_verification', "enterprise_code" character varying(20) NOT NULL, "province_code" character varying(40), "address" character varying(300), "hotline" character varying(20), "website" character varying(200), "founded_year" smallint, "is_public_sending_centre" boolean NOT NULL DEFAULT false, "search_name" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6787ae2a144c276b9b81ca3cc0" ON "agencies" ("license_number") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9b35054ddafde2c559e5751ae7" ON "agencies" ("license_status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_63d682384b983beb883459bee8" ON "agencies" ("enterprise_code") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f69279e65c29a08ad0092dabb5" ON "agencies" ("province_code") `);
    await queryRunner.query(`CREATE TYPE "public"."gender_requirement" AS ENUM('male', 'female', 'any')`);
    await queryRunner.query(
      `CREATE TYPE "public"."registration_status" AS ENUM('draft', 'submitted', 'source_preparation', 'approved', 'rejected')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."publication_status" AS ENUM('draft', 'published', 'closed', 'expired', 'taken_down')`,
    );
    await queryRunner.query(
      `CREATE TABLE "job_orders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "occupation" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "requirements" text NOT NULL DEFAULT '', "country_code" character(2) NOT NULL, "work_location" character varying(120) NOT NULL, "industry_code" character varying(40) NOT NULL, "program_code" character varying(40) NOT NULL, "openings" integer NOT NULL, "gender" "public"."gender_requirement" NOT NULL DEFAULT 'any', "birth_year_from" smallint NOT NULL, "birth_year_to" smallint NOT NULL, "salary_amount" numeric(14,2) NOT NULL, "salary_currency" character(3) NOT NULL, "salary_vnd_estimate" bigint NOT NULL, "contract_months" smallint NOT NULL, "service_fee_vnd" bigint NOT NULL DEFAULT '0', "training_fee_vnd" bigint NOT NULL DEFAULT '0', "deposit_vnd" bigint NOT NULL DEFAULT '0', "airfare_vnd" bigint NOT NULL DEFAULT '0', "brokerage_fee_vnd" bigint NOT NULL DEFAULT '0', "other_cost_vnd" bigint NOT NULL DEFAULT '0', "total_cost_vnd" bigint NOT NULL, "expected_departure_months" smallint, "registration_status" "public"."registration_status" NOT NULL DEFAULT 'draft', "registration_number" character varying(60), "registration_approved_on" date, "approved_headcount" integer, "publication_status" "public"."publication_status" NOT NULL DEFAULT 'draft', "published_at" TIMESTAMP WITH TIME ZONE, "views" bigint NOT NULL DEFAULT '0', "consultation_count" integer NOT NULL DEFAULT '0', "search_text" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_job_orders_birth_years" CHECK (birth_year_from <= birth_year_to), CONSTRAINT "CHK_job_orders_total_cost" CHECK (total_cost_vnd = service_fee_vnd + training_fee_vnd + deposit_vnd + airfare_vnd + brokerage_fee_vnd + other_cost_vnd), CONSTRAINT "PK_fa61b651169870018004bc8f4ed" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_cccf762848e2499949fc73ed1f" ON "job_orders" ("agency_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_2d6396a40cefd60d50b316752f" ON "job_orders" ("country_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c2239b04362bfeb0f88ca0796a" ON "job_orders" ("industry_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_60239a8286c6a37fdbd13d75d5" ON "job_orders" ("program_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_305a8a30f6ce1117bc91280dcf" ON "job_orders" ("total_cost_vnd") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_04f2b435a39a394bb05a733fdf" ON "job_orders" ("publication_status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_job_orders_public_popular" ON "job_orders" ("views", "id") WHERE publication_status = 'published'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_job_orders_public_salary" ON "job_orders" ("salary_vnd_estimate", "id") WHERE publication_status = 'published'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_job_orders_public_newest" ON "job_orders" ("published_at", "id") WHERE publication_status = 'published'`,
    );
    await queryRunner.query(
      `CREATE TABLE "view_count_batches" ("id" character varying(64) NOT NULL, "applied_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2f492b181de587e2153b07b6511" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "province_aliases" ADD CONSTRAINT "FK_7973e318c5d55c0ed350b37858d" FOREIGN KEY ("province_code") REFERENCES "provinces"("code") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "programs" ADD CONSTRAINT "FK_f739ebb5e4756ed621e6d4ad92d" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "agencies" ADD CONSTRAINT "FK_f69279e65c29a08ad0092dabb58" FOREIGN KEY ("province_code") REFERENCES "provinces"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "job_orders" ADD CONSTRAINT "FK_cccf762848e2499949fc73ed1f5" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "job_orders" ADD CONSTRAINT "FK_2d6396a40cefd60d50b316752f2" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "job_orders" ADD CONSTRAINT "FK_c2239b04362bfeb0f88ca0796af" FOREIGN KEY ("industry_code") REFERENCES "industries"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "job_orders" ADD CONSTRAINT "FK_60239a8286c6a37fdbd13d75d5d" FOREIGN KEY ("program_code") REFERENCES "programs"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job_orders" DROP CONSTRAINT "FK_60239a8286c6a37fdbd13d75d5d"`);
    await queryRunner.query(`ALTER TABLE "job_orders" DROP CONSTRAINT "FK_c2239b04362bfeb0f88ca0796af"`);
    await queryRunner.query(`ALTER TABLE "job_orders" DROP CONSTRAINT "FK_2d6396a40cefd60d50b316752f2"`);
    await queryRunner.query(`ALTER TABLE "job_orders" DROP CONSTRAINT "FK_cccf762848e2499949fc73ed1f5"`);
    await queryRunner.query(`ALTER TABLE "agencies" DROP CONSTRAINT "FK_f69279e65c29a08ad0092dabb58"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP CONSTRAINT "FK_f739ebb5e4756ed621e6d4ad92d"`);
    await queryRunner.query(
      `ALTER TABLE "province_aliases" DROP CONSTRAINT "FK_7973e318c5d55c0ed350b37858d"`,
    );
    await queryRunner.query(`DROP TABLE "view_count_batches"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_job_orders_public_newest"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_job_orders_public_salary"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_job_orders_public_popular"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_04f2b435a39a394bb05a733fdf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_305a8a30f6ce1117bc91280dcf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_60239a8286c6a37fdbd13d75d5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c2239b04362bfeb0f88ca0796a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2d6396a40cefd60d50b316752f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cccf762848e2499949fc73ed1f"`);
    await queryRunner.query(`DROP TABLE "job_orders"`);
    await queryRunner.query(`DROP TYPE "public"."publication_status"`);
    await queryRunner.query(`DROP TYPE "public"."registration_status"`);
    await queryRunner.query(`DROP TYPE "public"."gender_requirement"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f69279e65c29a08ad0092dabb5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_63d682384b983beb883459bee8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9b35054ddafde2c559e5751ae7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6787ae2a144c276b9b81ca3cc0"`);
    await queryRunner.query(`DROP TABLE "agencies"`);
    await queryRunner.query(`DROP TYPE "public"."license_status"`);
    await queryRunner.query(`DROP TABLE "exchange_rates"`);
    await queryRunner.query(`DROP TABLE "programs"`);
    await queryRunner.query(`DROP TABLE "industries"`);
    await queryRunner.query(`DROP TABLE "countries"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7973e318c5d55c0ed350b37858"`);
    await queryRunner.query(`DROP TABLE "province_aliases"`);
    await queryRunner.query(`DROP TABLE "provinces"`);
  }
}
