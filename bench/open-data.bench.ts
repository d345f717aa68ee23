/**
 * Open data at a million orders: `GET /api/v1/open-data/job-orders.csv` (and `.json`) streamed by the real
 * api, with the api process's resident memory sampled from /proc/<pid>/status every 50 ms, against bare
 * baselines measured in the same run on the same rows:
 *
 * - `psql COPY (SELECT ...) TO STDOUT WITH CSV` to /dev/null: PostgreSQL alone writing the same columns;
 * - a bare `pg` keyset loop in this process (the same batches and SQL, no encoding, no HTTP).
 *
 * Then a slow client (backpressure: memory must stay flat while the client reads at 4 MB/s), and the daily
 * snapshot of the same million orders written by OpenDataSnapshots in a child process (its memory and time),
 * and that snapshot served gzip as stored and decompressed.
 *
 * Target (issue 14): the export keeps the api under 100 MB above its idle size. `npm run bench:open-data`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get as httpGet, IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { Client } from 'pg';

import {
  benchEnv,
  deleteKeys,
  migratedDatabase,
  ROOT,
  SERVER_URL,
  startNode,
  stop,
  waitForHttp,
} from './common';
import { generateJobOrders } from './generate-job-orders';

const DATABASE = process.env.BENCH_OPEN_DATA_DATABASE ?? 'xkld_bench_open_data';
/** Exported rows wanted: published orders of active agencies. */
const EXPORTED = Number(process.env.BENCH_OPEN_DATA_ROWS ?? 1_000_000);
/** Realistic orders made by the generator; the rest are copies of its exportable ones, made in SQL. */
const GENERATED = Math.min(50_000, EXPORTED);
const SAMPLE_EVERY_MS = 50;
const LIMIT_MB = 100;
const SLOW_CLIENT_BYTES_PER_SECOND = 4 * 1024 * 1024;
const SLOW_CLIENT_SECONDS = 8;

const log = (message: string) => console.log(`[bench:open-data] ${message}`);
const mb = (bytes: number) => bytes / 1024 / 1024;
const fmt = (value: number, digits = 1) => value.toFixed(digits);

/** The columns and rows of the export, for the bare baselines: the same as JobOrdersRepository.openDataBatch. */
const EXPORT_SQL = `
  SELECT o.id, o.title, o.occupation, o.country_code, o.work_location, o.industry_code, o.program_code,
    o.openings, o.gender, o.birth_year_from, o.birth_year_to, o.salary_amount, o.salary_currency,
    o.salary_vnd_estimate, o.contract_months, o.service_fee_vnd, o.training_fee_vnd, o.deposit_vnd,
    o.airfare_vnd, o.brokerage_fee_vnd, o.other_cost_vnd, o.total_cost_vnd, o.registration_status,
    o.registration_number, o.registration_approved_on, o.approved_headcount, a.license_number, a.name,
    to_char(o.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS published_at
  FROM job_orders o JOIN agencies a ON a.id = o.agency_id
  WHERE o.publication_status = 'published' AND a.license_status = 'active'`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Samples a process's RSS every 50 ms until stopped; answers the peak and the samples. */
function sampleRss(pid: number): { stop(): { peak: number; samples: number[] } } {
  const samples: number[] = [rssBytes(pid)];
  const timer = setInterval(() => samples.push(rssBytes(pid)), SAMPLE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      samples.push(rssBytes(pid));
      return { peak: Math.max(...samples), samples };
    },
  };
}

/** The process's resident size at rest: the median of a second of samples, after a pause. */
async function idleRss(pid: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    samples.push(rssBytes(pid));
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
  }
  return samples.sort((a, b) => a - b)[samples.length >> 1];
}

async function exportable(db: Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${EXPORT_SQL}) e`);
  return rows[0].n;
}

/**
 * 1,000,000 exportable orders: GENERATED realistic ones from the job-order generator, then copies of its
 * exportable ones made by PostgreSQL in one INSERT ... SELECT over generate_series (seconds, not minutes).
 * The copies are written with triggers off (session_replication_role = replica): their search text stays
 * empty and no ranking events are queued, neither of which the export reads.
 */
async function prepareData(db: Client): Promise<string> {
  const have = await exportable(db);
  if (have === EXPORTED) return `reused ${have} exportable orders`;
  const dataSource = await migratedDatabase(DATABASE);
  const started = Date.now();
  try {
    const generated = await generateJobOrders(dataSource, { orders: GENERATED, agencies: 500, reset: true });
    log(`generated ${generated.orders} orders in ${fmt(generated.insertSeconds)} s`);
  } finally {
    await dataSource.destroy();
  }
  const base = await exportable(db);
  const copies = Math.ceil((EXPORTED - base) / base);
  const copying = Date.now();
  await db.query('BEGIN');
  await db.query(`SET LOCAL synchronous_commit = off`);
  await db.query(`SET LOCAL session_replication_role = replica`);
  const columns = `agency_id, title, occupation, description, requirements, country_code, work_location,
    industry_code, program_code, openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency,
    salary_vnd_estimate, contract_months, service_fee_vnd, training_fee_vnd, deposit_vnd, airfare_vnd,
    brokerage_fee_vnd, other_cost_vnd, total_cost_vnd, expected_departure_months, registration_status,
    registration_number, registration_approved_on, approved_headcount, publication_status, views`;
  await db.query(
    `INSERT INTO job_orders (${columns}, published_at)
     SELECT ${columns
       .split(',')
       .map((column) => `o.${column.trim()}`)
       .join(', ')}, o.published_at - g * interval '1 second'
     FROM (SELECT o.* FROM job_orders o JOIN agencies a ON a.id = o.agency_id
           WHERE o.publication_status = 'published' AND a.license_status = 'active') o
     CROSS JOIN generate_series(1, $1::int) g
     LIMIT $2`,
    [copies, EXPORTED - base],
  );
  await db.query('COMMIT');
  log(`copied ${EXPORTED - base} orders in ${fmt((Date.now() - copying) / 1000)} s`);
  await db.query('VACUUM ANALYZE job_orders');
  const total = await exportable(db);
  if (total !== EXPORTED) throw new Error(`expected ${EXPORTED} exportable orders, have ${total}`);
  return `generated ${EXPORTED} exportable orders in ${fmt((Date.now() - started) / 1000)} s`;
}

interface Download {
  status: number;
  bytes: number;
  lines: number;
  seconds: number;
  firstByteMs: number;
  headers: IncomingMessage['headers'];
}

/** Reads a URL to the end as fast as it comes (or at `bytesPerSecond`, for `maxSeconds`), counting lines. */
function download(
  url: string,
  options: { headers?: Record<string, string>; bytesPerSecond?: number; maxSeconds?: number } = {},
): Promise<Download> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    httpGet(url, { headers: options.headers }, (response) => {
      const firstByteMs = elapsed() * 1000;
      let bytes = 0;
      let lines = 0;
      const done = () =>
        resolve({
          status: response.statusCode!,
          bytes,
          lines,
          seconds: elapsed(),
          firstByteMs,
          headers: response.headers,
        });
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
        if (options.bytesPerSecond) {
          // A slow reader: pause until the wire would have carried what was read.
          const due = bytes / options.bytesPerSecond - elapsed();
          if (options.maxSeconds && elapsed() > options.maxSeconds) {
            response.destroy();
            done();
          } else if (due > 0) {
            response.pause();
            setTimeout(() => response.resume(), due * 1000);
          }
        }
      });
      response.on('end', done);
      response.on('error', reject);
    }).on('error', reject);
  });
}

interface Measured {
  scenario: string;
  rows: number;
  bytes: number;
  seconds: number;
  firstByteMs?: number;
  peakAboveIdle?: number;
}

/** PostgreSQL alone: COPY of the same rows as CSV, written by psql to /dev/null. */
async function psqlCopy(): Promise<Measured> {
  const started = process.hrtime.bigint();
  const child = spawn(
    'psql',
    [
      `${SERVER_URL}/${DATABASE}`,
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `COPY (${EXPORT_SQL.replace(/\s+/g, ' ')} ORDER BY o.published_at, o.id) TO STDOUT WITH (FORMAT csv, HEADER)`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let bytes = 0;
  let lines = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`psql exited ${code}`);
  return {
    scenario: 'bare: psql COPY ... TO STDOUT (CSV)',
    rows: lines - 1,
    bytes,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

/** The same keyset batches and SQL as the api's, with node-postgres, and nothing done with the rows. */
async function bareKeyset(db: Client, batch: number): Promise<Measured> {
  const started = process.hrtime.bigint();
  let rows = 0;
  let after: { publishedAt: string; id: string } | undefined;
  for (;;) {
    const params: unknown[] = [batch];
    const from = after
      ? `AND (o.published_at, o.id) > ($${params.push(after.publishedAt)}::timestamptz, $${params.push(after.id)}::uuid)`
      : '';
    const result = await db.query<{ id: string; published_at: string }>(
      `${EXPORT_SQL} ${from} ORDER BY o.published_at, o.id LIMIT $1`,
      params,
    );
    rows += result.rows.length;
    if (result.rows.length < batch) break;
    const last = result.rows[result.rows.length - 1];
    after = { publishedAt: last.published_at, id: last.id };
  }
  return {
    scenario: `bare: node-postgres keyset loop, ${batch} rows a query, rows dropped`,
    rows,
    bytes: 0,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

async function apiExport(
  api: ChildProcess,
  url: string,
  scenario: string,
  headers?: Record<string, string>,
): Promise<Measured> {
  // Against its idle size just before: each run's own rise.
  const idle = await idleRss(api.pid!);
  const sampler = sampleRss(api.pid!);
  const result = await download(url, { headers });
  const { peak } = sampler.stop();
  if (result.status !== 200) throw new Error(`${url} answered ${result.status}`);
  return {
    scenario,
    // CSV: a header line; JSON: the opening `[` line and the closing `]` line around one row a line.
    rows: result.lines - (url.includes('.json') ? 2 : 1),
    bytes: result.bytes,
    seconds: result.seconds,
    firstByteMs: result.firstByteMs,
    peakAboveIdle: peak - idle,
  };
}

/**
 * Runs the job-orders snapshot in a child process of its own (the worker's code, without the worker's other
 * jobs), sampling its RSS from before it starts.
 */
async function snapshotInChild(env: NodeJS.ProcessEnv, date: string): Promise<Measured & { stored: number }> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'scripts', 'register-dist-paths.js'),
      join(ROOT, 'dist', 'bench', 'open-data-snapshot-child.js'),
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`snapshot child exited ${code}`)));
    });
    const idle = await idleRss(child.pid!);
    const sampler = sampleRss(child.pid!);
    const started = process.hrtime.bigint();
    child.send({ date });
    const result = await new Promise<{ rows: number; bytes: number; stored: number }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as { rows: number; bytes: number; stored: number }));
      child.once('exit', (code) => reject(new Error(`snapshot child exited ${code}`)));
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { peak } = sampler.stop();
    return {
      scenario: 'snapshot: read once, CSV + JSON gzip into PostgreSQL (child process)',
      rows: result.rows,
      bytes: result.bytes,
      stored: result.stored,
      seconds,
      peakAboveIdle: peak - idle,
    };
  } finally {
    await stop(child);
  }
}

function table(runs: Measured[], baseline: Measured): void {
  console.table(
    runs.map((run) => ({
      scenario: run.scenario,
      rows: run.rows,
      MB: fmt(mb(run.bytes)),
      s: fmt(run.seconds, 2),
      'rows/s': Math.round(run.rows / run.seconds),
      'MB/s': run.bytes ? fmt(mb(run.bytes) / run.seconds) : '-',
      'first byte ms': run.firstByteMs === undefined ? '-' : fmt(run.firstByteMs, 0),
      'RSS above idle MB': run.peakAboveIdle === undefined ? '-' : fmt(mb(run.peakAboveIdle)),
      'rows/s vs COPY': fmt(run.rows / run.seconds / (baseline.rows / baseline.seconds), 2),
    })),
  );
}

async function main(): Promise<void> {
  const db = new Client({ connectionString: `${SERVER_URL}/${DATABASE}`, application_name: 'xkld-bench' });
  await migratedDatabase(DATABASE).then((dataSource) => dataSource.destroy());
  await db.connect();
  let api: ChildProcess | undefined;
  // One api process: the one whose memory is sampled is the one that serves (no cluster of them).
  const env = benchEnv(DATABASE, { LOG_LEVEL: 'warn', HOST: '127.0.0.1', API_PROCESSES: '1' });
  try {
    log(await prepareData(db));
    const port = await freePort();
    api = startNode('apps/api/src/main.js', { ...env, PORT: String(port) });
    const base = `http://127.0.0.1:${port}/api/v1/open-data`;
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health/live`, 60_000);
    // Warm: the code paths, the reference caches and the JIT, on a small dataset.
    for (let i = 0; i < 3; i++) await download(`${base}/agencies.csv`);
    await download(`${base}`);
    const idle = await idleRss(api.pid!);
    const children = readFileSync(`/proc/${api.pid}/task/${api.pid}/children`, 'utf8').trim();
    if (children) throw new Error(`the api forked (${children}): its memory would not be the one sampled`);
    log(`api pid ${api.pid}, idle RSS ${fmt(mb(idle))} MB`);

    const runs: Measured[] = [];
    const copy = await psqlCopy();
    runs.push(copy);
    runs.push(await bareKeyset(db, 1000));
    runs.push(await apiExport(api, `${base}/job-orders.csv`, 'api: GET /open-data/job-orders.csv'));
    runs.push(await apiExport(api, `${base}/job-orders.json`, 'api: GET /open-data/job-orders.json'));
    // Again, once the first runs have warmed everything up.
    runs.push(await apiExport(api, `${base}/job-orders.csv`, 'api: GET /open-data/job-orders.csv (2nd)'));

    // Backpressure: a client reading at 4 MB/s must not make the api buffer what it has not taken.
    const slowIdle = await idleRss(api.pid!);
    const slowSampler = sampleRss(api.pid!);
    const slow = await download(`${base}/job-orders.csv`, {
      bytesPerSecond: SLOW_CLIENT_BYTES_PER_SECOND,
      maxSeconds: SLOW_CLIENT_SECONDS,
    });
    const slowPeak = slowSampler.stop().peak - slowIdle;
    // A client that went away: the export must stop reading from PostgreSQL.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { rows: stillReading } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = $1 AND application_name = 'xkld' AND state = 'active' AND query LIKE '%job_orders o JOIN%'`,
      [DATABASE],
    );

    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    await db.query(`DELETE FROM open_data_snapshots WHERE dataset = 'job-orders' AND snapshot_date = $1`, [
      today,
    ]);
    const snapshot = await snapshotInChild(env, today);
    runs.push(snapshot);
    runs.push(
      await apiExport(api, `${base}/job-orders.csv?date=${today}`, 'api: snapshot as stored (gzip)', {
        'accept-encoding': 'gzip',
      }).then((run) => ({ ...run, rows: snapshot.rows })),
    );
    runs.push(
      await apiExport(api, `${base}/job-orders.csv?date=${today}`, 'api: snapshot decompressed (identity)', {
        'accept-encoding': 'identity',
      }),
    );

    console.log(
      `\n${EXPORTED} exportable orders; Node ${process.version}; api idle RSS ${fmt(mb(idle))} MB; ` +
        `RSS sampled every ${SAMPLE_EVERY_MS} ms\n`,
    );
    table(runs, copy);
    console.log(
      `\nslow client (${mb(SLOW_CLIENT_BYTES_PER_SECOND)} MB/s for ${SLOW_CLIENT_SECONDS} s, then gone): read ` +
        `${fmt(mb(slow.bytes))} MB, api RSS above idle at most ${fmt(mb(slowPeak))} MB; export queries still ` +
        `running 1 s after it left: ${stillReading[0].n}`,
    );
    console.log(
      `snapshot stored ${fmt(mb(snapshot.stored))} MB gzip (CSV + JSON) for ${fmt(mb(snapshot.bytes))} MB of ` +
        `files; its process's RSS rose at most ${fmt(mb(snapshot.peakAboveIdle ?? 0))} MB above its idle size`,
    );
    // The api's runs only: the snapshot's figure is the worker's (a child of its own), reported above.
    const worst = Math.max(
      ...runs.filter((run) => run.scenario.startsWith('api')).map((run) => run.peakAboveIdle ?? 0),
      slowPeak,
    );
    const verdict = mb(worst) < LIMIT_MB ? 'PASS' : 'FAIL';
    console.log(
      `\n${verdict}: the api's RSS stayed at most ${fmt(mb(worst))} MB above idle (limit ${LIMIT_MB} MB)`,
    );
    if (verdict === 'FAIL') process.exitCode = 1;
    const exported = runs.filter((run) => run.scenario.startsWith('api: GET /open-data/job-orders'));
    if (exported.some((run) => run.rows !== EXPORTED)) {
      console.log(`FAIL: an export did not hold ${EXPORTED} rows`);
      process.exitCode = 1;
    }
  } finally {
    await stop(api);
    await db.end();
    await deleteKeys(String(env.REDIS_PREFIX));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
