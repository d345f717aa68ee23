import { MigrationInterface, QueryRunner } from 'typeorm';

import { PROVINCE_NICKNAMES, provinceKey } from '../libs/reference/src/province-key';
import { COUNTRIES, INDUSTRIES, PROGRAMS, PROVINCES } from '../libs/reference/src/reference.data';

/** Indicative VND rates; operators replace them through PUT /admin/exchange-rates. */
const DEFAULT_RATES: Record<string, number> = {
  JPY: 170,
  TWD: 800,
  KRW: 18.5,
  CNY: 3600,
  SGD: 19500,
  MYR: 5800,
  USD: 26000,
  EUR: 29500,
  GBP: 34500,
  HUF: 75,
  PLN: 7000,
  RON: 5800,
  CZK: 1180,
  RUB: 320,
  AUD: 17000,
  SAR: 6900,
  AED: 7100,
};

export class ReferenceData1795444500000 implements MigrationInterface {
  name = 'ReferenceData1795444500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const insert = async (table: string, columns: string[], rows: unknown[][]) => {
      const params: unknown[] = [];
      const values = rows.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
      await queryRunner.query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`,
        params,
      );
    };
    await insert(
      'countries',
      ['code', 'name_vi', 'name_en', 'region'],
      COUNTRIES.map((c) => [c.code, c.nameVi, c.nameEn, c.region]),
    );
    await insert(
      'provinces',
      ['code', 'name_vi', 'name_en'],
      PROVINCES.map((p) => [p.code, p.nameVi, p.nameEn]),
    );

    const aliases = new Map<string, string>();
    for (const province of PROVINCES) {
      for (const name of [province.nameVi, province.nameEn, province.code, ...province.formerNames]) {
        aliases.set(provinceKey(name), province.code);
      }
    }
    for (const [nickname, code] of Object.entries(PROVINCE_NICKNAMES))
      aliases.set(provinceKey(nickname), code);
    await insert('province_aliases', ['key', 'province_code'], [...aliases]);

    await insert(
      'industries',
      ['code', 'name_vi', 'name_en'],
      INDUSTRIES.map((i) => [i.code, i.nameVi, i.nameEn]),
    );
    await insert(
      'programs',
      ['code', 'name_vi', 'name_en', 'country_code'],
      PROGRAMS.map((p) => [p.code, p.nameVi, p.nameEn, p.country]),
    );
    await insert('exchange_rates', ['currency', 'vnd_per_unit'], Object.entries(DEFAULT_RATES));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'exchange_rates',
      'programs',
      'industries',
      'province_aliases',
      'provinces',
      'countries',
    ]) {
      await queryRunner.query(`DELETE FROM ${table}`);
    }
  }
}
