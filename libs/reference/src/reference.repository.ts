import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Country, ExchangeRate, Industry, Program, Province, ProvinceAlias } from './reference.entity';

@Injectable()
export class ReferenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findProvinces(): Promise<Province[]> {
    return this.dataSource.getRepository(Province).find({ order: { nameVi: 'ASC' } });
  }

  findProvinceAliases(): Promise<ProvinceAlias[]> {
    return this.dataSource.getRepository(ProvinceAlias).find();
  }

  findCountries(): Promise<Country[]> {
    return this.dataSource.getRepository(Country).find({ order: { code: 'ASC' } });
  }

  findIndustries(): Promise<Industry[]> {
    return this.dataSource.getRepository(Industry).find({ order: { code: 'ASC' } });
  }

  findPrograms(): Promise<Program[]> {
    return this.dataSource.getRepository(Program).find({ order: { code: 'ASC' } });
  }

  findExchangeRates(): Promise<ExchangeRate[]> {
    return this.dataSource.getRepository(ExchangeRate).find();
  }

  async saveExchangeRates(tx: Tx, rates: [currency: string, vndPerUnit: string][]): Promise<void> {
    await tx.query(
      `INSERT INTO exchange_rates (currency, vnd_per_unit, updated_at)
       SELECT * , now() FROM unnest($1::text[], $2::numeric[])
       ON CONFLICT (currency) DO UPDATE SET vnd_per_unit = EXCLUDED.vnd_per_unit, updated_at = now()`,
      [rates.map(([currency]) => currency), rates.map(([, rate]) => rate)],
    );
  }
}
