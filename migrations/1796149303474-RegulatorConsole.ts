import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegulatorConsole1796149303474 implements MigrationInterface {
  name = 'RegulatorConsole1796149303474';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "recruitment_suspensions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "program_code" character varying(40),
                "country_code" character(2),
                "province_codes" character varying(40) array NOT NULL,
                "starts_on" date NOT NULL,
                "ends_on" date NOT NULL,
                "reason" text NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "lifted_at" TIMESTAMP WITH TIME ZONE,
                "lifted_by" uuid,
                CONSTRAINT "CHK_recruitment_suspensions_period" CHECK (starts_on <= ends_on),
                CONSTRAINT "CHK_recruitment_suspensions_target" CHECK (
                    program_code IS NOT NULL
                    OR country_code IS NOT NULL
                ),
                CONSTRAINT "PK_6cbea0637d382f1e85998f2f4b2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_recruitment_suspensions_active" ON "recruitment_suspensions" ("ends_on")
            WHERE lifted_at IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "agencies"
            ADD "license_status_reason" text
        `);
    await queryRunner.query(`
            ALTER TABLE "agencies"
            ADD "license_status_changed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "flags"
            ADD "contact_phone_encrypted" text
        `);
    await queryRunner.query(`
            ALTER TABLE "flags"
            ADD "reporter_ip_hash" character(64)
        `);
    await queryRunner.query(`
            ALTER TABLE "recruitment_suspensions"
            ADD CONSTRAINT "FK_54de803ce42e5e6dac8dd333f99" FOREIGN KEY ("program_code") REFERENCES "programs"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "recruitment_suspensions"
            ADD CONSTRAINT "FK_98d3785cbfb14952ebaa384a7a8" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "recruitment_suspensions" DROP CONSTRAINT "FK_98d3785cbfb14952ebaa384a7a8"
        `);
    await queryRunner.query(`
            ALTER TABLE "recruitment_suspensions" DROP CONSTRAINT "FK_54de803ce42e5e6dac8dd333f99"
        `);
    await queryRunner.query(`
            ALTER TABLE "flags" DROP COLUMN "reporter_ip_hash"
        `);
    await queryRunner.query(`
            ALTER TABLE "flags" DROP COLUMN "contact_phone_encrypted"
        `);
    await queryRunner.query(`
            ALTER TABLE "agencies" DROP COLUMN "license_status_changed_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "agencies" DROP COLUMN "license_status_reason"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_recruitment_suspensions_active"
        `);
    await queryRunner.query(`
            DROP TABLE "recruitment_suspensions"
        `);
  }
}
