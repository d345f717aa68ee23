import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { types } from 'pg';

import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';

// Counters and VND amounts are bigint columns but stay far below 2^53: read them as numbers.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

const typeOrmRoot = TypeOrmModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => dataSourceOptions(config),
});

@Module({ imports: [typeOrmRoot], exports: [typeOrmRoot] })
export class DatabaseModule {}
