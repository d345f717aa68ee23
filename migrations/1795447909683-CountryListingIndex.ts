import { MigrationInterface, QueryRunner } from 'typeorm';

export class CountryListingIndex1795447909683 implements MigrationInterface {
  name = 'CountryListingIndex1795447909683';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "IDX_job_orders_public_country_newest" ON "job_orders" ("country_code", "published_at", "id")
            WHERE publication_status = 'published'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_job_orders_public_country_newest"
        `);
  }
}
