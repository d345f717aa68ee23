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
    // Databases left by runs that died; a database still in use belongs to a live run and is kept.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database d WHERE datname LIKE 'xkld\\_test\\_%'
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    for (const { datname } of stale.rows.filter(({ datname }) => !isLiveRunTemplate(datname))) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
    }
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

/** A template is idle between clones: it is another run's while that run's process lives. */
function isLiveRunTemplate(name: string): boolean {
  const pid = Number(/^xkld_test_template_(\d+)$/.exec(name)?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
