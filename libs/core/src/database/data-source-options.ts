import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// Resolves to the project root in sources and to dist/ in the build, so globs match .ts or .js alike.
const root = join(__dirname, '..', '..', '..', '..');

export function dataSourceOptions(config: Pick<AppConfig, 'databaseUrl'>): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: [join(root, 'libs', '*', 'src', '**', '*.entity.{ts,js}')],
    migrations: [join(root, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    extra: { max: 20, application_name: 'xkld' },
  };
}
