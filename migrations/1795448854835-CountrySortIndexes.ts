import { MigrationInterface, QueryRunner } from 'typeorm';

export class CountrySortIndexes1795448854835 implements MigrationInterface {
  name = 'CountrySortIndexes1795448854835';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "IDX_job_orders_public_country_popular" ON "job_orders" ("country_code", "views", "id")
            WHERE publication_status = 'published'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_job_orders_public_country_salary" ON "job_orders" ("country_code", "salary_vnd_estimate", "id")
            WHERE publication_status = 'published'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_job_orders_public_country_salary"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_job_orders_public_country_popular"
        `);
  }
}
