#!/usr/bin/env node
// Fails when the entities would generate a migration that is not committed (schema drift).
// Needs a built dist/ (npm run build) and a reachable PostgreSQL server.
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');
const { Client } = require('pg');

const root = join(__dirname, '..');
const server = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
const database = `xkld_drift_${randomBytes(4).toString('hex')}`;

async function admin(sql) {
  const client = new Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main() {
  await admin(`CREATE DATABASE ${database}`);
  const env = {
    ...process.env,
    DATABASE_URL: `${server}/${database}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  const node = (args) =>
    execFileSync('node', ['-r', './scripts/register-dist-paths.js', ...args], {
      cwd: root,
      env,
      stdio: 'pipe',
    });
  try {
    node(['dist/scripts/migrate.js']);
    node([
      'node_modules/typeorm/cli.js',
      'migration:generate',
      '--check',
      '-d',
      'dist/libs/core/src/database/data-source.js',
      'migrations/Drift',
    ]);
    console.log('Entities match the migrations.');
  } catch (error) {
    console.error(String(error.stdout ?? ''), String(error.stderr ?? error.message));
    console.error(
      'Entities and migrations have drifted: run `npm run migration:generate -- migrations/Name`.',
    );
    process.exitCode = 1;
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
