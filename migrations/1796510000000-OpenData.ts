import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open data's daily snapshots: one row per dataset, format and day, and its gzip stream in chunks (dropped
 * with it). The chunks are stored uncompressed by PostgreSQL (STORAGE EXTERNAL): they are gzip already, and
 * TOAST's own compression would only spend time failing to shrink them.
 */
export class OpenData1796510000000 implements MigrationInterface {
  name = 'OpenData1796510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "open_data_snapshots" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "dataset" character varying(40) NOT NULL,
                "format" character varying(10) NOT NULL,
                "snapshot_date" date NOT NULL,
                "row_count" integer NOT NULL,
                "bytes" bigint NOT NULL,
                "gzip_bytes" bigint NOT NULL,
                "sha256" character(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_df2c63a3bb56fe817ee43d0504e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_open_data_snapshots_dataset_format_date" ON "open_data_snapshots" ("dataset", "format", "snapshot_date")
        `);
    await queryRunner.query(`
            CREATE TABLE "open_data_snapshot_chunks" (
                "snapshot_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "data" bytea NOT NULL,
                CONSTRAINT "PK_8a011c180811f0e7bba24e9d2c6" PRIMARY KEY ("snapshot_id", "seq")
            )
        `);
    await queryRunner.query(
      `ALTER TABLE "open_data_snapshot_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL`,
    );
    await queryRunner.query(`
            ALTER TABLE "open_data_snapshot_chunks"
            ADD CONSTRAINT "FK_ac3f55f1caaa32e25b7bd8dc95f" FOREIGN KEY ("snapshot_id") REFERENCES "open_data_snapshots"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "open_data_snapshot_chunks" DROP CONSTRAINT "FK_ac3f55f1caaa32e25b7bd8dc95f"
        `);
    await queryRunner.query(`
            DROP TABLE "open_data_snapshot_chunks"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_open_data_snapshots_dataset_format_date"
        `);
    await queryRunner.query(`
            DROP TABLE "open_data_snapshots"
        `);
  }
}
