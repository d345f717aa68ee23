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
}
