/**
 * Job alerts at 100,000 saved searches: matching one newly published order (the worker's query through the
 * match-key index, JobAlertMatcher.findMatches), timed over many realistic orders, next to a bare baseline
 * measured in the same run (one indexed SELECT of an alert by primary key, through the same pool). Then the
 * whole worker step (JobAlertMatcher.match: read the order, match, record the matches and the day's texts,
 * queue the SMS) over fresh orders. Target: matching p99 under 50 ms. Run with `npm run bench:alerts`.
 */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

import { PersonalDataCipher } from '@app/core';
import { alertMatchKey, JobAlertMatcher } from '@app/job-alerts';
import { OrderForAlertsRow, searchWords } from '@app/job-orders';

import { createApiApp } from '../apps/api/src/bootstrap';
import { benchEnv, migratedDatabase } from './common';
import { generateJobOrders } from './generate-job-orders';
import markets from './job-order-markets.json';

const DATABASE = 'xkld_bench_alerts';
const ALERTS = Number(process.env.BENCH_ALERTS ?? 100_000);
const ORDERS = 5_000;
const MATCH_SAMPLES = 1_000;
const FULL_SAMPLES = 200;
const WARMUP = 50;
const BATCH = 10_000;

/** A small deterministic generator, so every run saves the same searches. */
class Dice {
  constructor(private state: number) {}
  /** mulberry32 */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
}

/** Where job seekers look (the share of alerts naming each country; 12% name none). */
const COUNTRY_SHARES: [string, number][] = [
  ['JP', 0.5],
  ['TW', 0.18],
  ['KR', 0.07],
  ['DE', 0.04],
  ['HU', 0.02],
  ['PL', 0.02],
  ['RO', 0.02],
  ['RU', 0.01],
  ['LV', 0.01],
];
/** What people type: trades and places, as the listing's search box sees them. */
const WORDS = [
  'chế biến thực phẩm',
  'thực phẩm',
  'cơ khí',
  'hàn',
  'CNC',
  'xây dựng',
  'điều dưỡng',
  'hộ lý',
  'điện tử',
  'may mặc',
  'đóng gói',
  'nông nghiệp',
  'thủy sản',
  'nhà máy',
  'ô tô',
  'nhà hàng',
  'Aichi',
  'Osaka',
  'Tokyo',
  'Đài Trung',
  'Gyeonggi',
  'lương cao',
  'bay nhanh',
  'phí thấp',
];

interface Destination {
  country: string;
  program: string;
  industries: readonly string[];
}

function generateAlert(dice: Dice) {
  const roll = dice.float();
  let acc = 0;
  const country = COUNTRY_SHARES.find(([, share]) => (acc += share) > roll)?.[0] ?? null;
  const destinations = (markets.destinations as readonly Destination[]).filter(
    (d) => country === null || d.country === country,
  );
  const destination = dice.pick(destinations);
  const filters = {
    countryCode: country,
    industryCode: dice.chance(0.35) ? dice.pick(destination.industries) : null,
    programCode: country && dice.chance(0.2) ? destination.program : null,
    gender: dice.chance(0.4) ? (dice.chance(0.6) ? ('male' as const) : ('female' as const)) : null,
  };
  const q = dice.chance(0.2)
    ? [dice.pick(WORDS), ...(dice.chance(0.3) ? [dice.pick(WORDS)] : [])].join(' ')
    : null;
  return {
    ...filters,
    q,
    qWords: q ? searchWords(q) : [],
    birthYear: dice.chance(0.5) ? dice.int(1980, 2006) : null,
    salaryMinVnd: dice.chance(0.3) ? dice.int(15, 40) * 1_000_000 : null,
    maxCostVnd: dice.chance(0.25) ? dice.int(50, 200) * 1_000_000 : null,
    matchKey: alertMatchKey(filters),
    // One in ten was stopped: the index holds the active ones only.
    stopped: dice.chance(0.1),
  };
}

async function saveAlerts(dataSource: DataSource, cipher: PersonalDataCipher): Promise<void> {
  await dataSource.query(`TRUNCATE job_alerts, job_alert_matches, job_alert_messages, job_alert_stops`);
  const dice = new Dice(20261204);
  for (let done = 0; done < ALERTS; done += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, ALERTS - done) }, (_, i) => {
      // About 2.5 alerts per phone, at most 5.
      const phone = `+849${String(10_000_000 + Math.floor((done + i) / 2.5)).slice(-8)}`;
      return {
        ...generateAlert(dice),
        phoneHash: cipher.lookupHash(phone),
        phoneSealed: cipher.encrypt(phone),
      };
    });
    const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
    await dataSource.query(
      `INSERT INTO job_alerts (phone_hash, phone_sealed, q, q_words, country_code, industry_code, program_code,
         gender, birth_year, salary_min_vnd, max_cost_vnd, match_key, consent_version, consent_channel,
         consented_at, stopped_at, stopped_via)
       SELECT t.phone_hash, t.phone_sealed, t.q, ARRAY(SELECT json_array_elements_text(t.q_words)),
         t.country_code, t.industry_code, t.program_code, t.gender, t.birth_year, t.salary_min_vnd,
         t.max_cost_vnd, t.match_key, '2026-12', 'api', now(),
         CASE WHEN t.stopped THEN now() END, CASE WHEN t.stopped THEN 'api' END
       FROM unnest($1::char(64)[], $2::text[], $3::text[], $4::json[], $5::char(2)[], $6::varchar[],
         $7::varchar[], $8::varchar[], $9::smallint[], $10::bigint[], $11::bigint[], $12::varchar[],
         $13::boolean[])
         AS t(phone_hash, phone_sealed, q, q_words, country_code, industry_code, program_code, gender,
           birth_year, salary_min_vnd, max_cost_vnd, match_key, stopped)`,
      [
        column('phoneHash'),
        column('phoneSealed'),
        column('q'),
        rows.map((row) => JSON.stringify(row.qWords)),
        column('countryCode'),
        column('industryCode'),
        column('programCode'),
        column('gender'),
        column('birthYear'),
        column('salaryMinVnd'),
        column('maxCostVnd'),
        column('matchKey'),
        column('stopped'),
      ],
    );
  }
}

/**
 * VACUUM sets the visibility map, which lets matching read the covering index alone (an index-only scan);
 * in production autovacuum keeps it. A pass can leave pages unmarked while another transaction is open, so
 * it is repeated until every page is.
 */
async function vacuum(dataSource: DataSource): Promise<void> {
  for (let pass = 0; pass < 10; pass++) {
    await dataSource.query(`VACUUM (ANALYZE) job_alerts`);
    const [{ visible, pages }] = await dataSource.query<{ visible: number; pages: number }[]>(
      `SELECT relallvisible AS visible, relpages AS pages FROM pg_class WHERE relname = 'job_alerts'`,
    );
    if (visible >= pages) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.warn('job_alerts is not all-visible: matching will read the table too');
}

async function publishedOrders(dataSource: DataSource, limit: number): Promise<OrderForAlertsRow[]> {
  return dataSource.query(
    `SELECT o.id, o.title, o.country_code AS "countryCode", o.industry_code AS "industryCode",
       o.program_code AS "programCode", o.gender, o.birth_year_from AS "birthYearFrom",
       o.birth_year_to AS "birthYearTo", o.salary_vnd_estimate::float8 AS "salaryVndEstimate",
       o.total_cost_vnd::float8 AS "totalCostVnd", o.search_text AS "searchText"
     FROM job_orders o JOIN agencies a ON a.id = o.agency_id
     WHERE o.publication_status = 'published' AND a.license_status = 'active'
     ORDER BY md5(o.id::text) LIMIT $1`,
    [limit],
  );
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  Object.assign(
    process.env,
    benchEnv(DATABASE, {
      LOG_LEVEL: 'silent',
      SMS_PROVIDER: 'console',
      // Fixed, so the phones sealed by an earlier run open in this one (the data is kept between runs).
      ENCRYPTION_KEY: Buffer.alloc(32, 'xkld-bench-alerts').toString('base64'),
    }),
  );
  const dataSource = await migratedDatabase(DATABASE);
  const app: NestFastifyApplication = await createApiApp();
  await app.init();
  try {
    const cipher = app.get(PersonalDataCipher, { strict: false });
    const matcher = app.get(JobAlertMatcher, { strict: false });
    const [{ alerts, orders: held }] = await dataSource.query<{ alerts: number; orders: number }[]>(
      `SELECT (SELECT count(*) FROM job_alerts)::int AS alerts, (SELECT count(*) FROM job_orders)::int AS orders`,
    );
    if (alerts !== ALERTS || held !== ORDERS) {
      console.log(`generating ${ORDERS} orders and ${ALERTS} alerts…`);
      await generateJobOrders(dataSource, { orders: ORDERS, agencies: 200, reset: true, seed: 20261204 });
      await saveAlerts(dataSource, cipher);
    }
    // What an earlier run's worker steps recorded goes, so every run matches the same orders afresh.
    await dataSource.query(`TRUNCATE job_alert_matches, job_alert_messages, sms_messages, outbox`);
    await vacuum(dataSource);
    const orders = await publishedOrders(dataSource, MATCH_SAMPLES + FULL_SAMPLES);
    const sample = orders.slice(0, MATCH_SAMPLES);
    const fresh = orders.slice(MATCH_SAMPLES);
    const [{ maxId }] = await dataSource.query<{ maxId: number }[]>(
      `SELECT max(id)::int AS "maxId" FROM job_alerts`,
    );

    for (const order of sample.slice(0, WARMUP)) await matcher.findMatches(order);
    const matchMs: number[] = [];
    const baselineMs: number[] = [];
    const matchCounts: number[] = [];
    for (const order of sample) {
      // Interleaved, so both see the same state of the machine.
      const id = 1 + Math.floor(Math.random() * maxId);
      baselineMs.push(
        await timed(() => dataSource.query(`SELECT id, phone_hash FROM job_alerts WHERE id = $1`, [id])),
      );
      let matched = 0;
      matchMs.push(await timed(async () => (matched = (await matcher.findMatches(order)).length)));
      matchCounts.push(matched);
    }

    // The whole worker step on orders not matched before (writes matches, the day's texts, SMS rows).
    const fullMs: number[] = [];
    for (const order of fresh) fullMs.push(await timed(() => matcher.match(order.id)));
    const [{ texts }] = await dataSource.query<{ texts: number }[]>(
      `SELECT count(*)::int AS texts FROM job_alert_messages`,
    );

    const median = percentile(matchCounts, 50);
    const typical = sample[matchCounts.indexOf(median)];
    const plan = await matcher.explainMatch(typical);

    const [{ active }] = await dataSource.query<{ active: number }[]>(
      `SELECT count(*)::int AS active FROM job_alerts WHERE stopped_at IS NULL`,
    );
    const [{ server_version: postgres }] =
      await dataSource.query<{ server_version: string }[]>('SHOW server_version');
    console.log(
      `\n${ALERTS} saved alerts (${active} active) over ${orders.length} published orders; ` +
        `Node ${process.version}, PostgreSQL ${postgres}`,
    );
    const row = (name: string, values: number[]) => ({
      step: name,
      samples: values.length,
      'p50 ms': percentile(values, 50).toFixed(2),
      'p99 ms': percentile(values, 99).toFixed(2),
      'max ms': Math.max(...values).toFixed(2),
    });
    console.table([
      row('bare SELECT by primary key', baselineMs),
      {
        ...row('match one published order', matchMs),
        'p99 / bare p99': (percentile(matchMs, 99) / percentile(baselineMs, 99)).toFixed(1),
      },
      row('worker step: match, record, queue texts', fullMs),
    ]);
    console.log(
      `alerts matched per order: p50 ${median}, p99 ${percentile(matchCounts, 99)}, max ${Math.max(...matchCounts)}; ` +
        `texts queued by the worker steps: ${texts} (one a phone a day)`,
    );
    console.log(`match p99 under 50 ms: ${percentile(matchMs, 99) < 50 ? 'yes' : 'NO'}`);
    console.log(`\nthe match of a typical order (${median} matches):`);
    for (const line of plan) console.log(`  ${line}`);
  } finally {
    await app.close();
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
