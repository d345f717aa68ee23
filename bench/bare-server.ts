/**
 * Baseline for the job-order benchmark: a bare Fastify server on the same machine answering
 * GET /job-orders with a fixed, pre-serialised page shaped like the api's (20 items, about 12 KB).
 * No Nest, no validation, no database: what the HTTP stack alone costs.
 *
 *   node dist/bench/bare-server.js [port]      (or PORT=...; default 3999)
 *
 * BARE_PAGE_FILE=<file> serves that file's bytes instead (bench:scale hands it the api's own first page, so both
 * servers send the same number of bytes).
 *
 * BARE_DATABASE_URL=<url> also serves GET /job-orders-sql: the listing's first page read by one hand-written,
 * prepared SELECT through a `pg` pool of 20 (as the api's), its rows sent as JSON.stringify makes them. What
 * one database round trip a request costs on this machine, without the application around it.
 */
import { readFileSync } from 'node:fs';

import { fastify } from 'fastify';
import { Pool, types } from 'pg';

const COUNTRIES = [
  ['JP', 'Nhật Bản', 'Gunma', 'food_processing', 'jp_technical_intern', 175_000, 'JPY', 170],
  ['TW', 'Đài Loan', 'Đài Trung', 'electronics', 'tw_worker', 28_590, 'TWD', 800],
  ['KR', 'Hàn Quốc', 'Gyeonggi', 'manufacturing', 'kr_eps', 2_096_270, 'KRW', 18.5],
  ['HU', 'Hungary', 'Budapest', 'manufacturing', 'eu_work_permit', 380_000, 'HUF', 75],
] as const;

/** A page like GET /api/v1/job-orders returns: same fields, similar Vietnamese text. */
export function samplePage(items = 20): string {
  const page = Array.from({ length: items }, (_, i) => {
    const [country, countryVi, location, industry, program, amount, currency, rate] =
      COUNTRIES[i % COUNTRIES.length];
    return {
      id: `0b7c3a52-${String(1000 + i)}-4d6e-9f10-a1b2c3d4e5f6`,
      title: `Tuyển ${10 + i} Nam Chế biến thực phẩm tại ${location}, ${countryVi}`,
      country,
      workLocation: location,
      industry,
      program,
      openings: 10 + i,
      gender: i % 3 === 0 ? 'any' : 'male',
      birthYearFrom: 1990 + (i % 5),
      birthYearTo: 2004 + (i % 3),
      salary: { amount, currency },
      salaryVndEstimate: Math.round(amount * rate),
      contractMonths: 36,
      costs: {
        serviceFeeVnd: 28_000_000,
        trainingVnd: 8_000_000,
        depositVnd: 0,
        airfareVnd: 9_500_000,
        brokerageVnd: 0,
        otherVnd: 2_000_000,
      },
      totalCostVnd: 47_500_000,
      registration: { status: 'approved' },
      agency: {
        id: `5f1e2d3c-${String(2000 + i)}-4b5a-8c7d-0e1f2a3b4c5d`,
        name: 'Công ty Cổ phần Phát triển Nguồn nhân lực Hoàng Long',
        licenseNumber: `${100 + i}/LĐTBXH-GP`,
        licenseStatus: 'active',
      },
      views: 1234 + i * 17,
      publishedAt: new Date(Date.UTC(2025, 5, 1 + i)).toISOString(),
    };
  });
  return JSON.stringify({
    items: page,
    nextCursor: 'WyJuZXdlc3QiLCIyMDI1LTA2LTAxVDAwOjAwOjAwLjAwMFoiLCIwYjdjIl0',
  });
}

/** The newest page of public orders, the columns a card shows (the api's listing without filters). */
const NEWEST_PAGE = `
  SELECT o.id, o.title, o.country_code, o.work_location, o.industry_code, o.program_code, o.openings, o.gender,
    o.birth_year_from, o.birth_year_to, o.salary_amount, o.salary_currency, o.salary_vnd_estimate,
    o.contract_months, o.service_fee_vnd, o.training_fee_vnd, o.deposit_vnd, o.airfare_vnd, o.brokerage_fee_vnd,
    o.other_cost_vnd, o.total_cost_vnd, o.registration_status, o.registration_number, o.approved_headcount,
    o.views, o.published_at, a.id AS agency_id, a.name AS agency_name, a.license_number, a.license_status
  FROM job_orders o JOIN agencies a ON a.id = o.agency_id
  WHERE o.publication_status = 'published' AND a.license_status = 'active'
  ORDER BY o.published_at DESC, o.id DESC LIMIT 21`;

export async function startBareServer(
  port: number,
  host = '127.0.0.1',
  body = samplePage(),
  databaseUrl?: string,
): Promise<() => Promise<void>> {
  const app = fastify({ logger: false });
  app.get('/job-orders', (_request, reply) => {
    void reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
  const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 20 }) : undefined;
  if (pool) {
    types.setTypeParser(types.builtins.INT8, Number);
    app.get('/job-orders-sql', async () => {
      const { rows } = await pool.query<{ id: string }>({ name: 'newest-page', text: NEWEST_PAGE });
      return { items: rows.slice(0, 20), nextCursor: rows.length > 20 ? String(rows[19].id) : null };
    });
  }
  await app.listen({ port, host });
  return async () => {
    await app.close();
    await pool?.end();
  };
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 3999);
  const file = process.env.BARE_PAGE_FILE;
  const body = file ? readFileSync(file, 'utf8') : samplePage();
  startBareServer(port, process.env.HOST ?? '127.0.0.1', body, process.env.BARE_DATABASE_URL)
    .then((close) => {
      console.log(`bare server on http://127.0.0.1:${port}/job-orders (${Buffer.byteLength(body)} bytes)`);
      const stop = () => void close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
