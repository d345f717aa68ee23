/**
 * The app for the browser tests (test/browser, `npm run test:browser`): a fresh database with the demo data
 * and a world per Playwright project (an agency with a Japan food-processing order, its admin, a
 * regulator), the api and the worker in this process. Prints nothing but problems; Ctrl-C drops it all.
 */
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';

import { hashPassword } from '@app/accounts';
import { dataSourceOptions } from '@app/core';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { createApiApp } from '../apps/api/src/bootstrap';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { seedDemoData } from './seed';

export const BROWSER_TEST_PORT = Number(process.env.BROWSER_TEST_PORT ?? 3919);
export const BROWSER_TEST_PASSWORD = 'mật khẩu thử nghiệm 2026';
export const BROWSER_TEST_PROJECTS = ['phone', 'desktop'];

const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DATABASE = `xkld_browser_${process.pid}`;

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function seedWorlds(dataSource: DataSource): Promise<void> {
  const passwordHash = await hashPassword(BROWSER_TEST_PASSWORD);
  const year = new Date().getUTCFullYear();
  for (const [index, project] of BROWSER_TEST_PROJECTS.entries()) {
    const [{ id: agencyId }]: { id: string }[] = await dataSource.query(
      `INSERT INTO agencies (name, license_number, license_issued_on, license_status, enterprise_code, province_code)
       VALUES ($1, $2, '2018-01-01', 'active', $3, 'ha-noi') RETURNING id`,
      [
        `Công ty Thử nghiệm Trình duyệt ${project}`,
        `BROWSER-${index + 1}/LĐTBXH-GP`,
        `09000000${10 + index}`,
      ],
    );
    await dataSource.query(
      `INSERT INTO job_orders (agency_id, title, occupation, country_code, work_location, industry_code, program_code,
         openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency, salary_vnd_estimate,
         contract_months, service_fee_vnd, total_cost_vnd, registration_status, registration_number,
         approved_headcount, publication_status, published_at, views, requirements)
       VALUES ($1, $2, 'Chế biến thực phẩm', 'JP', 'Gunma', 'food_processing', 'jp_technical_intern', 16, 'any',
         1990, $3, 180000, 'JPY', 30000000, 36, 30000000, 30000000, 'approved', $4, 16, 'published', now(), 196,
         'Sức khỏe tốt, không yêu cầu kinh nghiệm')`,
      [
        agencyId,
        `Tuyển 16 lao động Chế biến thực phẩm tại Gunma, Nhật Bản (${project})`,
        year - 18,
        `QLLĐNN-${project}`,
      ],
    );
    await dataSource.query(
      `INSERT INTO job_orders (agency_id, title, occupation, country_code, work_location, industry_code, program_code,
         openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency, salary_vnd_estimate,
         contract_months, service_fee_vnd, total_cost_vnd, registration_status, approved_headcount,
         publication_status, published_at)
       VALUES ($1, $2, 'Điện tử', 'TW', 'Đài Trung', 'electronics', 'tw_worker', 10, 'any', 1990, 2000, 27470, 'TWD',
         22000000, 36, 20000000, 20000000, 'approved', 10, 'published', now())`,
      [
        agencyId,
        `<script>window.hacked=1</script><img src=x onerror="window.hacked=1"> Đơn hàng Đài Loan (${project})`,
      ],
    );
    await dataSource.query(
      `INSERT INTO users (email, password_hash, role, agency_id)
       VALUES ($1, $2, 'agency_admin', $3), ($4, $2, 'regulator', NULL), ($5, $2, 'admin', NULL)`,
      [
        `agency-${project}@example.vn`,
        passwordHash,
        agencyId,
        `regulator-${project}@example.vn`,
        `admin-${project}@example.vn`,
      ],
    );
  }
}

async function main(): Promise<void> {
  await admin(`CREATE DATABASE ${DATABASE}`);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    PORT: String(BROWSER_TEST_PORT),
    HOST: '127.0.0.1',
    DATABASE_URL: `${SERVER_URL}/${DATABASE}`,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `browser-${process.pid}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    VIEW_FLUSH_INTERVAL_MS: '500',
    RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR: '10000',
    RATE_LIMIT_LOGIN_FAILURES_PER_IP_PER_15_MINUTES: '1000',
  });
  const dataSource = await new DataSource(
    dataSourceOptions({ databaseUrl: process.env.DATABASE_URL! }),
  ).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await seedDemoData(dataSource);
  await seedWorlds(dataSource);
  await dataSource.destroy();

  const api = await createApiApp();
  await api.listen(BROWSER_TEST_PORT, '127.0.0.1');
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  await worker.init();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.close().catch(() => undefined);
    await api.close().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch(async (error: unknown) => {
  console.error(error);
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
  process.exit(1);
});
