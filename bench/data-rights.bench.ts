/**
 * Data rights at 100 requests per applicant: `GET /me/data` (the export, through the real api) and the
 * worker's erasure step (`DataRightsService.erase`: personal fields, reviews, 100 agency events, the key),
 * each next to a bare baseline measured in the same run: one SELECT of the same rows, one UPDATE of them.
 * Target: each under one second. Run with `npm run bench:data-rights`.
 */
import { randomUUID } from 'node:crypto';

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';

import { ApplicantTokens } from '@app/applicants';
import { normalizeVietnamesePhone, PersonalDataCipher } from '@app/core';
import { DataRightsService } from '@app/data-rights';

import { createApiApp } from '../apps/api/src/bootstrap';
import { benchEnv, migratedDatabase, SERVER_URL } from './common';

const DATABASE = 'xkld_bench_rights';
const REQUESTS = 100;
const ROUNDS = 5;

async function main(): Promise<void> {
  Object.assign(
    process.env,
    benchEnv(DATABASE, {
      LOG_LEVEL: 'silent',
      RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR: '1000000',
      RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR: '1000000',
    }),
  );
  const dataSource = await migratedDatabase(DATABASE);
  await dataSource.destroy();
  const db = new Client({ connectionString: `${SERVER_URL}/${DATABASE}` });
  await db.connect();
  const app = await createApiApp();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  try {
    const orders = await prepareOrders(db);
    const rows: Record<string, number[]> = { export: [], 'bare export': [], erase: [], 'bare erase': [] };
    for (let round = 0; round < ROUNDS; round++) {
      const phone = `09${String(10_000_000 + Math.floor(Math.random() * 89_999_999)).slice(0, 8)}`;
      const phoneHash = await applicantWithRequests(app, db, orders, phone);
      const token = app.get(ApplicantTokens, { strict: false }).issue({ phoneHash }).applicantToken;

      rows['bare export'].push(await timed(() => bareExport(db, phoneHash)));
      rows.export.push(
        await timed(async () => {
          const response = await app.inject({
            method: 'GET',
            url: '/api/v1/me/data',
            headers: { authorization: `Bearer ${token}` },
          });
          const body = response.json<{ requests: unknown[] }>();
          if (response.statusCode !== 200 || body.requests.length !== REQUESTS) {
            throw new Error(`export answered ${response.statusCode} with ${body.requests?.length} requests`);
          }
        }),
      );

      const copyHash = await applicantWithRequests(
        app,
        db,
        orders,
        `${phone.slice(0, -1)}${(Number(phone.at(-1)) + 1) % 10}`,
      );
      rows['bare erase'].push(await timed(() => bareErase(db, copyHash)));
      const dataRights = app.get(DataRightsService, { strict: false });
      const { erasureId } = await dataRights.requestErasure(phoneHash);
      rows.erase.push(
        await timed(async () => {
          if ((await dataRights.erase(erasureId)) !== 'erased') throw new Error('erasure did not run');
        }),
      );
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(`\n${REQUESTS} requests per applicant, ${ROUNDS} rounds, Node ${process.version}`);
    console.table(
      (['export', 'erase'] as const).map((name) => ({
        step: name,
        'median ms': median(rows[name]).toFixed(1),
        'max ms': Math.max(...rows[name]).toFixed(1),
        'bare median ms': median(rows[`bare ${name}`]).toFixed(1),
        'bare / ours': (median(rows[`bare ${name}`]) / median(rows[name])).toFixed(2),
        'under 1 s': Math.max(...rows[name]) < 1000 ? 'yes' : 'NO',
      })),
    );
  } finally {
    await app.close();
    await db.end();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** One agency with a webhook and as many published orders as an applicant will ask about. */
async function prepareOrders(db: Client): Promise<string[]> {
  const { rows: existing } = await db.query<{ id: string }>(
    `SELECT o.id FROM job_orders o JOIN agencies a ON a.id = o.agency_id
     WHERE a.name = 'Công ty Benchmark Quyền' ORDER BY o.id LIMIT $1`,
    [REQUESTS],
  );
  if (existing.length === REQUESTS) return existing.map((row) => row.id);
  const serial = randomUUID().slice(0, 8);
  const { rows: agency } = await db.query<{ id: string }>(
    `INSERT INTO agencies (name, license_number, license_status, enterprise_code, province_code)
     VALUES ('Công ty Benchmark Quyền', $1, 'active', $2, 'ha-noi') RETURNING id`,
    [`BENCH-${serial}/LĐTBXH-GP`, serial.padStart(10, '0')],
  );
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO job_orders (agency_id, title, occupation, country_code, work_location, industry_code, program_code,
       openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency, salary_vnd_estimate,
       contract_months, service_fee_vnd, deposit_vnd, total_cost_vnd, publication_status, registration_status,
       published_at)
     SELECT $1, 'Đơn hàng đo ' || g, 'Công nhân', 'JP', 'Gunma', 'food_processing', 'jp_technical_intern', 10, 'any',
       1980, 2005, 180000, 'JPY', 30600000, 36, 0, 0, 0, 'published', 'approved', now()
     FROM generate_series(1, $2) g RETURNING id`,
    [agency[0].id, REQUESTS],
  );
  await db.query(
    `INSERT INTO agency_webhooks (agency_id, url, secret_encrypted) VALUES ($1, 'https://example.invalid/hook', 'v1:x:x:x')`,
    [agency[0].id],
  );
  return rows.map((row) => row.id);
}

/** An applicant with one request per order, through the real intake, then marked assigned as the worker would. */
async function applicantWithRequests(
  app: NestFastifyApplication,
  db: Client,
  orders: string[],
  phone: string,
): Promise<string> {
  for (const order of orders) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/consultations',
      payload: {
        jobOrderId: order,
        fullName: 'Nguyễn Văn Đo',
        phone,
        province: 'Nghệ An',
        birthYear: 1998,
        message: 'Xin tư vấn giúp tôi',
        consent: true,
      },
    });
    if (response.statusCode !== 202)
      throw new Error(`intake answered ${response.statusCode}: ${response.body}`);
  }
  const phoneHash = app
    .get(PersonalDataCipher, { strict: false })
    .lookupHash(normalizeVietnamesePhone(phone)!);
  await db.query(
    `UPDATE consultation_requests SET status = 'assigned', assigned_at = now() WHERE phone_hash = $1`,
    [phoneHash],
  );
  return phoneHash;
}

async function bareExport(db: Client, phoneHash: string): Promise<void> {
  const { rows } = await db.query(
    `SELECT r.*, o.title, a.name FROM consultation_requests r JOIN job_orders o ON o.id = r.job_order_id
     JOIN agencies a ON a.id = r.agency_id WHERE r.phone_hash = $1`,
    [phoneHash],
  );
  JSON.stringify(rows);
}

async function bareErase(db: Client, phoneHash: string): Promise<void> {
  await db.query('BEGIN');
  await db.query(
    `UPDATE consultation_requests SET full_name_encrypted = 'erased', phone_encrypted = 'erased',
       message_encrypted = NULL WHERE phone_hash = $1`,
    [phoneHash],
  );
  await db.query('COMMIT');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
