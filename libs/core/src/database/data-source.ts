import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { loadConfig, loadDotEnv } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

// Entry point of the TypeORM CLI (migration:generate / migration:run).
loadDotEnv();
export default new DataSource(dataSourceOptions(loadConfig()));
