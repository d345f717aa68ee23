import 'reflect-metadata';

import { join } from 'node:path';

import { Client } from 'pg';
import { register } from 'tsconfig-paths';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../libs/core/src/database/data-source-options';
import { databaseUrl, TEMPLATE_DATABASE, TEST_SERVER_URL } from './helpers/env';

/** Builds one migrated template database per run; each test file clones it (CREATE DATABASE ... TEMPLATE). */
export default async function globalSetup(): Promise<void> {
  // Global setup runs outside jest's module registry: entity files need the @app/* aliases resolved here.
  register({
    baseUrl: join(__dirname, '..'),
    paths: (await import('../tsconfig.json')).compilerOptions.paths,
  });
  const admin = new Client({ connectionString: `${TEST_SERVER_URL}/postgres` });
  await admin.connect();
  try {
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'xkld_test_%' AND datname <> $1`,
      [TEMPLATE_DATABASE],
    );
    for (const { datname } of stale.rows)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const dataSource = await new DataSource(
    dataSourceOptions({ databaseUrl: databaseUrl(TEMPLATE_DATABASE) }),
  ).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
