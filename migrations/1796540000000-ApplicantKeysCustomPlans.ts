import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ensure_applicant_keys()` plans its statements for the arguments of each call. A PL/pgSQL statement keeps the
 * generic plan it chose on its connection's sixth call, and a plan chosen while `applicant_keys` was nearly
 * empty reads the keys by a sequential scan: every later call then read the whole table until an autoanalyze
 * replanned it, a minute or more on a growing table. Measured from an empty database with
 * `accept_consultations()` called in batches of 15 on two connections for 20 s: 2,619 sequential scans reading
 * 51 million rows, 891 µs of PostgreSQL CPU per request and 1,964 requests a second; with this setting 181 µs and
 * 7,157 a second.
 */
export class ApplicantKeysCustomPlans1796540000000 implements MigrationInterface {
  name = 'ApplicantKeysCustomPlans1796540000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER FUNCTION ensure_applicant_keys(character(64)[], text[]) SET plan_cache_mode = force_custom_plan`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER FUNCTION ensure_applicant_keys(character(64)[], text[]) RESET plan_cache_mode`,
    );
  }
}
