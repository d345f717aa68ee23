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
 *   BENCH_API_PROCESSES=1      API_PROCESSES of the api (the bare server stays one process)
 */
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';

import { DataSource } from 'typeorm';

import { dataSourceOptions } from '@app/core';

import { ensureDatabase } from '../scripts/ensure-database';
import {
  fmt,
  freePort,
  intEnv,
  loadPaths,
  Measured,
  percentile,
  runBenchmark,
  startChild,
  stopChildren,
  table,
  waitUntilAnswering,
} from './common';
import { API_PATH, checkUrls, explainReads, Params, prepareJobOrders, toPath } from './job-orders-common';

const TARGET_P99_MS = 50;

const env = process.env;
const ORDERS = intEnv('BENCH_ORDERS', 100_000);
const AGENCIES = intEnv('BENCH_AGENCIES', 500);
const DURATION = intEnv('BENCH_DURATION', 15);
const WARMUP = intEnv('BENCH_WARMUP', 3);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 20);
const EXPLAIN_MS = intEnv('BENCH_EXPLAIN_MS', 10);

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

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

function benchDatabaseUrl(): string {
  if (env.BENCH_DATABASE_URL) return env.BENCH_DATABASE_URL;
  const url = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/xkld');
  url.pathname = '/xkld_bench';
  return url.toString();
}

function load(
  title: string,
  url: string,
  paths: string[],
  duration: number,
  connections = CONNECTIONS,
): Promise<Measured> {
  return loadPaths(title, url, paths, duration, connections);
}

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

/** Postgres alone, one search at a time, for every URL with a text query. */
async function explainTable(dataSource: DataSource): Promise<void> {
  console.log(
    '\nPostgres alone, one search at a time (EXPLAIN ANALYZE of the statements the repository issues, ' +
      'summed; median of 3):',
  );
  const paths = new Map<string, Params>();
  for (const params of [...FILTERED_TEXT, ...MIXED]) if ('q' in params) paths.set(toPath(params), params);
  const explained = await explainReads(dataSource, [...paths]);
  if (env.BENCH_EXPLAIN === '1')
    for (const read of explained) if (read.ms > EXPLAIN_MS) console.log(`\n${read.name}\n${read.plan}\n`);
  const rows = explained.map((read) => [
    decodeURIComponent(read.name.replace(API_PATH, '')),
    read.statements,
    fmt(read.ms, 2),
  ]);
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
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) log(`applied ${applied.length} migrations`);
    const generation = await prepareJobOrders(dataSource, {
      orders: ORDERS,
      agencies: AGENCIES,
      reuse: 'at-least',
      regenerate: env.BENCH_REGENERATE === '1',
      log,
    });
    if (env.BENCH_EXPLAIN_ONLY === '1') return await explainTable(dataSource);

    const [apiPort, barePort] = [await freePort(), await freePort()];
    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_ENV: 'production',
      // One api process unless BENCH_API_PROCESSES says otherwise (production's default is every core).
      API_PROCESSES: env.BENCH_API_PROCESSES ?? '1',
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

runBenchmark('bench', main);
