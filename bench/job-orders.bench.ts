/**
 * `npm run bench:job-orders`: load test of GET /api/v1/job-orders at 100,000 orders against a bare Fastify
 * baseline on the same machine. See bench/README.md.
 *
 * Environment (all optional):
 *   BENCH_ORDERS=100000        orders wanted; the data is regenerated when the database holds fewer
 *   BENCH_AGENCIES=500         agencies to spread them over
 *   BENCH_REGENERATE=1         regenerate even when enough orders exist
 *   BENCH_DATABASE_URL         default: DATABASE_URL (or postgres://postgres@127.0.0.1:5432) with database xkld_bench
 *   REDIS_URL                  default redis://127.0.0.1:6379 (keys prefixed "bench")
 *   BENCH_DURATION=15          seconds per measured scenario
 *   BENCH_WARMUP=3             seconds of warm-up per target
 *   BENCH_CONNECTIONS=20       concurrent connections
 *   BENCH_LISTING_CACHE_TTL=0  LISTING_CACHE_TTL_SECONDS given to the api (0: every request reaches Postgres)
 *   BENCH_EXPLAIN=1            print EXPLAIN (ANALYZE, BUFFERS) of the text-search URLs slower than BENCH_EXPLAIN_MS (10)
 *   BENCH_EXPLAIN_ONLY=1       only prepare the data and print the per-URL Postgres table (no servers, no load)
 *   BENCH_NODE_ARGS            node flags for the api and the bare server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 */
import 'reflect-metadata';

import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

import autocannon from 'autocannon';
import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '@app/core';
import { JobOrderQueryDto, publicSearchFilter } from '@app/job-orders';

import { JobOrdersRepository } from '../libs/job-orders/src/job-orders.repository';
import { ensureDatabase } from '../scripts/ensure-database';
import { generateJobOrders } from './generate-job-orders';

const ROOT = join(__dirname, '..', '..');
const API_PATH = '/api/v1/job-orders';
const TARGET_P99_MS = 50;

const env = process.env;
const ORDERS = intEnv('BENCH_ORDERS', 100_000);
const AGENCIES = intEnv('BENCH_AGENCIES', 500);
const DURATION = intEnv('BENCH_DURATION', 15);
const WARMUP = intEnv('BENCH_WARMUP', 3);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 20);
const EXPLAIN_MS = intEnv('BENCH_EXPLAIN_MS', 10);

type Params = Record<string, string | number>;

/** What visitors of the listing page do: browse, filter, search with or without diacritics, sort. */
const MIXED: Params[] = [
  {},
  { country: 'JP' },
  { q: 'che bien thuc pham' },
  { country: 'TW', industry: 'electronics' },
  { q: 'Chế biến' },
  { program: 'kr_eps', sort: 'salary' },
  { country: 'TW', sort: 'salary' },
  { q: 'gunma' },
  { gender: 'female', birthYear: 1998 },
  { q: 'dai loan dien tu' },
  { salaryMinVnd: 30_000_000, sort: 'salary' },
  { q: 'hungary' },
  { maxCostVnd: 60_000_000, sort: 'popular' },
  { country: 'JP', industry: 'food_processing', sort: 'popular' },
  { q: 'gunma', country: 'JP', birthYear: 2000 },
  { program: 'jp_technical_intern', gender: 'male', birthYear: 2003, maxCostVnd: 80_000_000 },
  { sort: 'popular' },
  { q: 'che bien', gender: 'male', birthYear: 1995 },
  { q: 'dien tu', country: 'TW', sort: 'salary' },
];

/** The target shape: a text query narrowed by a filter. */
const FILTERED_TEXT: Params[] = [
  { q: 'che bien thuc pham', country: 'JP' },
  { q: 'Chế biến thực phẩm', birthYear: 1998 },
  { q: 'gunma', gender: 'male' },
  { q: 'dai loan dien tu', birthYear: 2000 },
  { q: 'hungary', maxCostVnd: 150_000_000 },
  { q: 'dien tu', country: 'TW', sort: 'salary' },
  { q: 'xay dung', country: 'KR' },
  { q: 'osaka', industry: 'food_processing' },
  { q: 'phi thap', country: 'HU' },
  { q: 'dieu duong', gender: 'female', country: 'JP' },
  { q: 'Đài Trung', salaryMinVnd: 23_000_000 },
  { q: 'co khi cnc', country: 'JP', birthYear: 1990 },
  { q: 'hoang long', program: 'jp_technical_intern' },
  { q: 'ba lan', birthYear: 1985, sort: 'salary' },
];

function intEnv(name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer`);
  return parsed;
}

function toPath(params: Params): string {
  const query = Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query ? `${API_PATH}?${query}` : API_PATH;
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

function benchDatabaseUrl(): string {
  if (env.BENCH_DATABASE_URL) return env.BENCH_DATABASE_URL;
  const url = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/xkld');
  url.pathname = '/xkld_bench';
  return url.toString();
}

async function prepareData(dataSource: DataSource): Promise<string> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length) log(`applied ${applied.length} migrations`);
  const [{ count }]: { count: number }[] = await dataSource.query(
    `SELECT count(*)::int AS count FROM job_orders`,
  );
  if (count >= ORDERS && env.BENCH_REGENERATE !== '1') {
    log(`database holds ${count} orders (>= ${ORDERS}): keeping them`);
    return `kept ${count} existing orders`;
  }
  log(`generating ${ORDERS} orders over ${AGENCIES} agencies (database held ${count})`);
  const started = Date.now();
  let reported = 0;
  const result = await generateJobOrders(dataSource, {
    orders: ORDERS,
    agencies: AGENCIES,
    reset: true,
    onProgress: (done, total) => {
      if (done === total || done - reported >= total / 5) {
        reported = done;
        log(`  ${done}/${total} inserted (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    },
  });
  const total = (Date.now() - started) / 1000;
  const summary =
    `generated ${result.orders} orders (${result.published} published) over ${result.agencies} agencies in ` +
    `${total.toFixed(1)} s (insert ${result.insertSeconds.toFixed(1)} s, VACUUM ANALYZE ${result.analyzeSeconds.toFixed(1)} s)`;
  log(summary);
  return summary;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface Child {
  name: string;
  process: ChildProcess;
  output: () => string;
}

const children: Child[] = [];

function startChild(name: string, script: string, childEnv: NodeJS.ProcessEnv): Child {
  const nodeArgs = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, '-r', './scripts/register-dist-paths.js', script], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const entry = { name, process: child, output: () => output };
  children.push(entry);
  return entry;
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.splice(0).map(async ({ process: child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

async function waitUntilAnswering(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(
        `${child.name} exited (${child.process.exitCode ?? child.process.signalCode}):\n${child.output()}`,
      );
    }
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${child.output()}`);
}

interface Checked {
  path: string;
  items: number;
  bytes: number;
}

/** Every URL must answer 200 with a page; a 4xx here would make the load figures meaningless. */
async function checkUrls(base: string, paths: string[]): Promise<Checked[]> {
  const checked: Checked[] = [];
  for (const path of paths) {
    const response = await fetch(base + path);
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 500)}`);
    const page = JSON.parse(body) as { items: unknown[] };
    checked.push({ path, items: page.items.length, bytes: Buffer.byteLength(body) });
  }
  return checked;
}

interface PathStats {
  latencies: number[];
  non2xx: number;
}

interface Measured {
  scenario: string;
  connections: number;
  result: autocannon.Result;
  perPath: Map<string, PathStats>;
}

/** autocannon 8 keeps the request a connection is on here; not part of its typed API. */
interface ClientInternals {
  requestIterator?: { currentRequest?: { path?: string } };
}

function load(
  title: string,
  url: string,
  paths: string[],
  duration: number,
  connections = CONNECTIONS,
): Promise<Measured> {
  const perPath = new Map<string, PathStats>();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        title,
        connections,
        duration,
        timeout: 10,
        requests: paths.map((path) => ({ method: 'GET', path })),
      },
      (error: unknown, result: autocannon.Result) =>
        error
          ? reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`))
          : resolve({ scenario: title, connections, result, perPath }),
    );
    // With pipelining 1 the connection's current request is the one just answered.
    instance.on('response', (client, status, _bytes, ms) => {
      const path = (client as ClientInternals).requestIterator?.currentRequest?.path;
      if (!path) return;
      let stats = perPath.get(path);
      if (!stats) perPath.set(path, (stats = { latencies: [], non2xx: 0 }));
      stats.latencies.push(ms);
      if (status < 200 || status > 299) stats.non2xx++;
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function perPathTable(measured: Measured): string {
  const rows = [...measured.perPath.entries()]
    .map(([path, stats]) => {
      const sorted = stats.latencies.slice().sort((a, b) => a - b);
      return { path, count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), stats };
    })
    .sort((a, b) => b.p99 - a.p99)
    .map((row) => [
      decodeURIComponent(row.path.replace(API_PATH, '') || '(no query)'),
      row.count,
      fmt(row.p50),
      fmt(row.p99),
      row.stats.non2xx,
    ]);
  return table(['url (under load)', 'requests', 'p50 ms', 'p99 ms', 'non-2xx'], rows);
}

/** The filter the api's listing builds for the URL's query. */
function searchFilter(params: Params) {
  const query = plainToInstance(
    JobOrderQueryDto,
    Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)])),
  );
  return publicSearchFilter(query);
}

/**
 * Runs a search through the real repository with a DataSource that also EXPLAIN ANALYZEs every statement
 * it issues (the repository may issue more than one, and decides on real rows). Returns the median over
 * three searches of the summed execution times, the statement count and the plans of the last search.
 */
async function explain(
  dataSource: DataSource,
  params: Params,
): Promise<{ ms: number; statements: number; plan: string }> {
  const filter = searchFilter(params);
  let plans: string[] = [];
  const explaining = {
    query: async (sql: string, parameters: unknown[]): Promise<unknown> => {
      const lines: { 'QUERY PLAN': string }[] = await dataSource.query(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
        parameters,
      );
      plans.push(lines.map((line) => line['QUERY PLAN']).join('\n'));
      return dataSource.query(sql, parameters);
    },
  } as unknown as DataSource;
  const repository = new JobOrdersRepository(explaining);
  const times: number[] = [];
  let last: string[] = [];
  for (let run = 0; run < 3; run++) {
    plans = [];
    await repository.searchPublic(filter);
    times.push(
      plans.reduce((sum, plan) => sum + Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN), 0),
    );
    last = plans;
  }
  times.sort((a, b) => a - b);
  const plan = last.map((text, i) => `-- statement ${i + 1} of ${last.length}\n${text}`).join('\n');
  return { ms: times[1], statements: last.length, plan };
}

/** Postgres alone, one search at a time, for every URL with a text query. */
async function explainTable(dataSource: DataSource): Promise<void> {
  console.log(
    '\nPostgres alone, one search at a time (EXPLAIN ANALYZE of the statements the repository issues, ' +
      'summed; median of 3):',
  );
  const paths = new Map<string, Params>();
  for (const params of [...FILTERED_TEXT, ...MIXED]) if ('q' in params) paths.set(toPath(params), params);
  const rows: (string | number)[][] = [];
  for (const [path, params] of paths) {
    const { ms, statements, plan } = await explain(dataSource, params);
    rows.push([decodeURIComponent(path.replace(API_PATH, '')), statements, fmt(ms, 2)]);
    if (env.BENCH_EXPLAIN === '1' && ms > EXPLAIN_MS) console.log(`\n${path}\n${plan}\n`);
  }
  console.log(table(['url', 'statements', 'db ms'], rows));
}

async function main(): Promise<void> {
  const databaseUrl = benchDatabaseUrl();
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  log(`database ${databaseUrl.replace(/\/\/[^@]*@/, '//')}, ${ORDERS} orders wanted`);
  await ensureDatabase(databaseUrl, log);

  const dataSource = await new DataSource({
    ...dataSourceOptions({ databaseUrl }),
    extra: { max: 4, application_name: 'xkld-bench' },
  }).initialize();
  try {
    const generation = await prepareData(dataSource);
    if (env.BENCH_EXPLAIN_ONLY === '1') return await explainTable(dataSource);

    const [apiPort, barePort] = [await freePort(), await freePort()];
    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: 'bench',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      LISTING_CACHE_TTL_SECONDS: env.BENCH_LISTING_CACHE_TTL ?? '0',
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const api = startChild('api', 'dist/apps/api/src/main.js', { ...childEnv, PORT: String(apiPort) });
    const bare = startChild('bare server', 'dist/bench/bare-server.js', {
      ...childEnv,
      PORT: String(barePort),
    });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const bareUrl = `http://127.0.0.1:${barePort}`;
    await Promise.all([
      waitUntilAnswering(api, `${apiUrl}${API_PATH}?limit=1`),
      waitUntilAnswering(bare, `${bareUrl}/job-orders`),
    ]);
    log(`api on ${apiPort} and bare server on ${barePort} answering`);

    const mixed = MIXED.map(toPath);
    const filtered = FILTERED_TEXT.map(toPath);
    const checked = await checkUrls(apiUrl, [...new Set([...mixed, ...filtered])]);
    const empty = checked.filter((c) => c.items === 0);
    if (empty.length) log(`warning: no results for ${empty.map((c) => c.path).join(', ')}`);
    const apiBytes = checked.reduce((sum, c) => sum + c.bytes, 0) / checked.length;
    const bareBytes = Buffer.byteLength(await (await fetch(`${bareUrl}/job-orders`)).text());
    log(
      `${checked.length} URLs answer 200; mean api page ${(apiBytes / 1024).toFixed(1)} KB, bare page ${(bareBytes / 1024).toFixed(1)} KB`,
    );

    if (WARMUP > 0) {
      log(`warming up (${WARMUP} s each)`);
      await load('warm-up bare', bareUrl, ['/job-orders'], WARMUP);
      await load('warm-up api', apiUrl, [...mixed, ...filtered], WARMUP);
    }

    const runs: Measured[] = [];
    log(`measuring: ${DURATION} s per scenario, ${CONNECTIONS} connections`);
    runs.push(await load('bare fastify GET /job-orders', bareUrl, ['/job-orders'], DURATION));
    runs.push(await load(`api mixed listing (${mixed.length} URLs)`, apiUrl, mixed, DURATION));
    runs.push(await load(`api filtered text search (${filtered.length} URLs)`, apiUrl, filtered, DURATION));
    // One connection: the time a single search takes when nothing queues in front of it.
    runs.push(await load('api filtered text search, 1 connection', apiUrl, filtered, DURATION, 1));

    const bareRps = runs[0].result.requests.average;
    const rows = runs.map(({ scenario, connections, result }, i) => [
      scenario,
      connections,
      fmt(result.requests.average, 0),
      fmt(result.latency.p50, 0),
      fmt(result.latency.p99, 0),
      result.non2xx,
      result.errors + result.timeouts,
      fmt(result.throughput.average / Math.max(result.requests.average, 1) / 1024),
      i === 0 ? '1.000' : connections === CONNECTIONS ? fmt(result.requests.average / bareRps, 3) : '-',
    ]);

    console.log(`\n${generation}; ${ORDERS} orders, ${DURATION} s per scenario, Node ${process.version}\n`);
    console.log(
      table(
        ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'KB/resp', 'api/bare'],
        rows,
      ),
    );
    for (const run of runs.slice(1)) console.log(`\n${run.scenario}\n${perPathTable(run)}`);

    const verdict = (run: Measured) =>
      `${run.result.latency.p99 < TARGET_P99_MS ? 'MET' : 'NOT MET'} with ${run.connections} ` +
      `connection${run.connections === 1 ? '' : 's'} (p99 ${run.result.latency.p99} ms)`;
    console.log(
      `\ntarget "filtered text search p99 < ${TARGET_P99_MS} ms at ${ORDERS} orders": ` +
        `${verdict(runs[3])}; ${verdict(runs[2])}`,
    );

    await stopChildren();
    await explainTable(dataSource);

    const bad = runs.reduce(
      (sum, run) => sum + run.result.non2xx + run.result.errors + run.result.timeouts,
      0,
    );
    if (bad > 0) {
      console.error(`\n${bad} non-2xx responses or errors: the figures are not valid`);
      process.exitCode = 1;
    }
  } finally {
    await stopChildren();
    await dataSource.destroy();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopChildren().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  for (const { process: child } of children) child.kill('SIGKILL');
});

main().catch(async (error: unknown) => {
  console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await stopChildren();
  process.exit(1);
});
