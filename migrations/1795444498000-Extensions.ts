import { MigrationInterface, QueryRunner } from 'typeorm';

export class Extensions1795444498000 implements MigrationInterface {
  name = 'Extensions1795444498000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // unaccent() is only STABLE (it reads a dictionary by name); index expressions need IMMUTABLE.
    await queryRunner.query(
      `CREATE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION f_search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT lower(public.f_unaccent($1)) $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION f_search_fold(text)`);
    await queryRunner.query(`DROP FUNCTION f_unaccent(text)`);
  }
}
