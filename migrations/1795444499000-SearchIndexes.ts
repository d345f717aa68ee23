import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accent-folded search columns kept by triggers, with trigram indexes for LIKE '%word%'. */
export class SearchIndexes1795444499000 implements MigrationInterface {
  name = 'SearchIndexes1795444499000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION agencies_search_name() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_name := f_search_fold(NEW.name);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER agencies_search_name BEFORE INSERT OR UPDATE OF name ON agencies
      FOR EACH ROW EXECUTE FUNCTION agencies_search_name()`);

    await queryRunner.query(`
      CREATE FUNCTION job_orders_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_text := f_search_fold(concat_ws(' ', NEW.title, NEW.occupation, NEW.work_location,
          (SELECT name FROM agencies WHERE id = NEW.agency_id)));
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER job_orders_search_text BEFORE INSERT OR UPDATE OF title, occupation, work_location, agency_id
      ON job_orders FOR EACH ROW EXECUTE FUNCTION job_orders_search_text()`);

    await queryRunner.query(`
      CREATE FUNCTION agencies_rename_orders() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE job_orders o SET search_text = f_search_fold(concat_ws(' ', o.title, o.occupation, o.work_location, NEW.name))
        WHERE o.agency_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER agencies_rename_orders AFTER UPDATE OF name ON agencies
      FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION agencies_rename_orders()`);

    await queryRunner.query(
      `CREATE INDEX "IDX_job_orders_search_text_trgm" ON job_orders USING gin (search_text gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_agencies_search_name_trgm" ON agencies USING gin (search_name gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_agencies_search_name_trgm"`);
    await queryRunner.query(`DROP INDEX "IDX_job_orders_search_text_trgm"`);
    await queryRunner.query(`DROP TRIGGER agencies_rename_orders ON agencies`);
    await queryRunner.query(`DROP FUNCTION agencies_rename_orders()`);
    await queryRunner.query(`DROP TRIGGER job_orders_search_text ON job_orders`);
    await queryRunner.query(`DROP FUNCTION job_orders_search_text()`);
    await queryRunner.query(`DROP TRIGGER agencies_search_name ON agencies`);
    await queryRunner.query(`DROP FUNCTION agencies_search_name()`);
  }
}
