/**
 * `npm run bench:scale`: the public catalogue's reads at 10,000, 100,000 and 1,000,000 orders over 2,000
 * agencies, caches off, each size in its own database and next to a bare Fastify endpoint sending the api's
 * own first page. Does the cost of a read stay flat as the data grows? See bench/README.md ("Data that grows").
 *
 * Every size's api and bare server run at once, and each round measures every size in turn, starting with a
 * different size each round; the bare endpoint is measured right before each api scenario, which is compared
 * with it. The machine's load drifts over minutes: sizes or servers measured minutes apart would compare two
 * different machines. The tables give the median over the rounds.
 *
 * Environment (all optional):
 *   BENCH_SCALE_SIZES=10000,100000,1000000  orders per size; each in database xkld_bench_<10k|100k|1m>, kept
 *                                           and reused when it holds exactly that many orders and agencies
 *   BENCH_SCALE_AGENCIES=2000                agencies in every size
 *   BENCH_SCALE_ROUNDS=3                     rounds over every size and scenario
 *   BENCH_REGENERATE=1                       regenerate even when a database already holds the right data
 *   BENCH_SCALE_PREPARE_ONLY=1               only prepare the databases (no servers, no load)
 *   BENCH_DURATION=10 / BENCH_WARMUP=3       seconds per measured api scenario / per warm-up (the bare
 *                                           endpoint: half of BENCH_DURATION before each api scenario)
 *   BENCH_CONNECTIONS=20                     concurrent connections
 *   BENCH_API_PROCESSES=1                    API_PROCESSES of each api (the bare server is one process)
 *   BENCH_DEEP_PAGES=50                      pages followed by nextCursor to reach the deep page
 *   BENCH_DETAIL_IDS=500                     random public orders the detail scenario cycles through
 *   BENCH_EXPLAIN=1 (BENCH_EXPLAIN_MS=10)    also print the plans of scenarios slower than that in PostgreSQL
 *   BENCH_DATABASE_SERVER_URL, BENCH_REDIS_URL, BENCH_NODE_ARGS: see bench/common.ts
 */
import 'reflect-metadata';

import { execFileSync } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import {
  benchEnv,
  deleteKeys,
  fmt,
  freePort,
  intEnv,
  loadPaths,
  Measured,
  migratedDatabase,
  percentile,
  ROOT,
  runBenchmark,
  SERVER_URL,
  startChild,
  stopChildren,
  table,
  waitUntilAnswering,
} from './common';
import { API_PATH, checkUrls, explainReads, Params, prepareJobOrders, toPath } from './job-orders-common';

const env = process.env;
const SIZES = (env.BENCH_SCALE_SIZES ?? '10000,100000,1000000').split(',').map((size) => {
  const orders = Number(size.trim());
  if (!Number.isInteger(orders) || orders < 1000)
    throw new Error(`BENCH_SCALE_SIZES: ${size} is not >= 1000`);
  return orders;
});
const AGENCIES = intEnv('BENCH_SCALE_AGENCIES', 2000);
const ROUNDS = Math.max(1, intEnv('BENCH_SCALE_ROUNDS', 3));
const DURATION = intEnv('BENCH_DURATION', 10);
const BARE_DURATION = Math.max(1, Math.ceil(DURATION / 2));
const WARMUP = intEnv('BENCH_WARMUP', 3);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 20);
const API_PROCESSES = intEnv('BENCH_API_PROCESSES', 1);
const DEEP_PAGES = intEnv('BENCH_DEEP_PAGES', 50);
const DETAIL_IDS = intEnv('BENCH_DETAIL_IDS', 500);
const EXPLAIN_MS = intEnv('BENCH_EXPLAIN_MS', 10);

/** Targets of issue "Scale": p99 at the largest size within this factor of the smallest's... */
const P99_GROWTH_LIMIT = 1.5;
/** ...and the uncached listing and searches at least this share of the bare endpoint's throughput. */
const MIN_SHARE_OF_BARE = 0.2;

const BARE = 'bare fastify';
/** The bare server reading the listing's first page with one prepared SELECT: the round trip's own cost. */
const BARE_SQL = 'bare fastify + one SELECT';
const LISTING = 'listing (newest)';
const DEEP = `deep page (cursor ${DEEP_PAGES} pages in)`;
const DETAIL = 'detail';

/** Text searches narrowed by a filter, as visitors type them (without diacritics), from bench:job-orders. */
const SEARCHES: { name: string; params: Params }[] = [
  { name: 'search: che bien thuc pham, JP', params: { q: 'che bien thuc pham', country: 'JP' } },
  { name: 'search: gunma, male', params: { q: 'gunma', gender: 'male' } },
  { name: 'search: dai loan dien tu, born 2000', params: { q: 'dai loan dien tu', birthYear: 2000 } },
];
/** The scenarios whose throughput must reach MIN_SHARE_OF_BARE. */
const UNCACHED_READS = [LISTING, ...SEARCHES.map((search) => search.name)];

function log(message: string): void {
  console.log(`[scale] ${message}`);
}

/** 10000 → "10k", 1000000 → "1m". */
function label(orders: number): string {
  if (orders % 1_000_000 === 0) return `${orders / 1_000_000}m`;
  if (orders % 1000 === 0) return `${orders / 1000}k`;
  return String(orders);
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One size: its database, its servers and the URLs of each scenario. */
interface Size {
  orders: number;
  database: string;
  dataSource: DataSource;
  generation: string;
  published: number;
  apiUrl: string;
  bareUrl: string;
  pageBytes: number;
  cursor: string;
  detailIds: string[];
  /** Api scenario name → paths cycled through. */
  scenarios: [string, string[]][];
  /** One entry per round: the load average at its start and end. */
  loadAverages: string[];
}

interface Row {
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  kbPerResponse: number;
  /** Throughput over the bare endpoint's, measured in the same round. */
  shareOfBare: number;
}

function toRow(measured: Measured, bareRps: number): Row {
  const { result } = measured;
  const sorted = measured.latencies.slice().sort((a, b) => a - b);
  return {
    scenario: measured.scenario,
    requestsPerSecond: result.requests.average,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    kbPerResponse: result.throughput.average / Math.max(result.requests.average, 1) / 1024,
    shareOfBare: result.requests.average / bareRps,
  };
}

/** The median of each figure over the rounds, errors summed, and the p99 range that shows the noise. */
function combine(rounds: Row[][]): (Row & { p99Range: string })[] {
  return rounds[0].map(({ scenario }) => {
    const rows = rounds.map((round) => round.find((row) => row.scenario === scenario)!);
    const of = (pick: (row: Row) => number) => median(rows.map(pick));
    const p99s = rows.map((row) => row.p99);
    return {
      scenario,
      requestsPerSecond: of((row) => row.requestsPerSecond),
      p50: of((row) => row.p50),
      p99: of((row) => row.p99),
      non2xx: rows.reduce((sum, row) => sum + row.non2xx, 0),
      errors: rows.reduce((sum, row) => sum + row.errors, 0),
      kbPerResponse: of((row) => row.kbPerResponse),
      shareOfBare: of((row) => row.shareOfBare),
      p99Range: `${fmt(Math.min(...p99s), 0)}-${fmt(Math.max(...p99s), 0)}`,
    };
  });
}

/** The cursor reached by following nextCursor `pages` times from the first page of the listing. */
async function deepCursor(apiUrl: string, pages: number): Promise<string> {
  let path = API_PATH;
  let cursor = '';
  for (let page = 0; page < pages; page++) {
    const response = await fetch(apiUrl + path);
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    const { nextCursor } = (await response.json()) as { nextCursor: string | null };
    if (!nextCursor) throw new Error(`the listing ends after ${page + 1} pages`);
    cursor = nextCursor;
    path = toPath({ cursor });
  }
  return cursor;
}

/** Random orders the public can open (published, agency active); checkUrls then proves each answers 200. */
async function publicIds(dataSource: DataSource, count: number): Promise<string[]> {
  const rows: { id: string }[] = await dataSource.query(
    `SELECT o.id FROM job_orders o JOIN agencies a ON a.id = o.agency_id
     WHERE o.publication_status = 'published' AND a.license_status = 'active'
     ORDER BY random() LIMIT $1`,
    [count],
  );
  return rows.map((row) => row.id);
}

/** Creates, migrates and fills (or reuses) the size's database. */
async function prepareSize(
  orders: number,
): Promise<{ database: string; dataSource: DataSource; generation: string }> {
  const database = `xkld_bench_${label(orders)}`;
  log(`${orders} orders: database ${database}; load average ${loadAverage()}`);
  const dataSource = await migratedDatabase(database);
  const generation = await prepareJobOrders(dataSource, {
    orders,
    agencies: AGENCIES,
    reuse: 'exact',
    regenerate: env.BENCH_REGENERATE === '1',
    log,
  });
  return { database, dataSource, generation };
}

/** Starts the size's api (caches off) and its bare server, and checks every URL it will load. */
async function startSize(orders: number, prepared: Awaited<ReturnType<typeof prepareSize>>): Promise<Size> {
  const { database, dataSource } = prepared;
  const [{ published }]: { published: number }[] = await dataSource.query(
    `SELECT count(*)::int AS published FROM job_orders o JOIN agencies a ON a.id = o.agency_id
     WHERE o.publication_status = 'published' AND a.license_status = 'active'`,
  );
  const [apiPort, barePort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const bareUrl = `http://127.0.0.1:${barePort}`;
  const api = startChild(
    `api (${label(orders)})`,
    'dist/apps/api/src/main.js',
    benchEnv(database, {
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      API_PROCESSES: String(API_PROCESSES),
      // Every read reaches PostgreSQL: the listing cache is the api's only read cache with a setting.
      LISTING_CACHE_TTL_SECONDS: '0',
    }),
  );
  await waitUntilAnswering(api, `${apiUrl}${API_PATH}?limit=1`);

  const searchPaths = SEARCHES.map((search) => toPath(search.params));
  const cursor = await deepCursor(apiUrl, DEEP_PAGES);
  const deepPath = toPath({ cursor });
  const detailIds = await publicIds(dataSource, DETAIL_IDS);
  const detailPaths = detailIds.map((id) => `${API_PATH}/${id}`);
  const checked = await checkUrls(apiUrl, [API_PATH, ...searchPaths, deepPath, ...detailPaths]);
  const empty = checked.filter((check) => check.items === 0);
  if (empty.length) log(`warning: no results for ${empty.map((check) => check.path).join(', ')}`);

  // The bare endpoint sends the api's own first page: same bytes, no work.
  const pageFile = join(tmpdir(), `xkld-scale-page-${process.pid}-${orders}.json`);
  writeFileSync(pageFile, checked[0].body);
  const bare = startChild(`bare server (${label(orders)})`, 'dist/bench/bare-server.js', {
    ...env,
    PORT: String(barePort),
    HOST: '127.0.0.1',
    BARE_PAGE_FILE: pageFile,
    BARE_DATABASE_URL: `${SERVER_URL}/${database}`,
  });
  await waitUntilAnswering(bare, `${bareUrl}/job-orders`);
  unlinkSync(pageFile);

  return {
    orders,
    ...prepared,
    published,
    apiUrl,
    bareUrl,
    pageBytes: checked[0].bytes,
    cursor,
    detailIds,
    scenarios: [
      [LISTING, [API_PATH]],
      ...SEARCHES.map((search, i): [string, string[]] => [search.name, [searchPaths[i]]]),
      [DEEP, [deepPath]],
      [DETAIL, detailPaths],
    ],
    loadAverages: [],
  };
}

/**
 * One round of every api scenario of a size, each right after the bare endpoint; the bare row gives the
 * median throughput of those bare runs and the percentiles of all their responses.
 */
async function measureRound(size: Size, round: number): Promise<Row[]> {
  const before = loadAverage();
  const bareRuns: Measured[] = [];
  const rows: Row[] = [];
  for (const [scenario, paths] of size.scenarios) {
    const bare = await loadPaths(BARE, size.bareUrl, ['/job-orders'], BARE_DURATION, CONNECTIONS);
    const run = await loadPaths(scenario, size.apiUrl, paths, DURATION, CONNECTIONS);
    bareRuns.push(bare);
    rows.push(toRow(run, bare.result.requests.average));
    if (scenario === LISTING) {
      const sql = await loadPaths(BARE_SQL, size.bareUrl, ['/job-orders-sql'], DURATION, CONNECTIONS);
      rows.push(toRow(sql, bare.result.requests.average));
    }
  }
  size.loadAverages.push(`${before} -> ${loadAverage()}`);
  const bareRps = median(bareRuns.map((run) => run.result.requests.average));
  const bareRows = bareRuns.map((run) => toRow(run, bareRps));
  const latencies = bareRuns.flatMap((run) => run.latencies).sort((a, b) => a - b);
  rows.unshift({
    scenario: BARE,
    requestsPerSecond: bareRps,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    non2xx: bareRows.reduce((sum, row) => sum + row.non2xx, 0),
    errors: bareRows.reduce((sum, row) => sum + row.errors, 0),
    kbPerResponse: median(bareRows.map((row) => row.kbPerResponse)),
    shareOfBare: 1,
  });
  console.log(
    `\nround ${round}, ${size.orders} orders (load average at start -> end: ${size.loadAverages.at(-1)})`,
  );
  console.log(
    table(
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'api/bare'],
      rows.map((row) => [
        row.scenario,
        fmt(row.requestsPerSecond, 0),
        fmt(row.p50),
        fmt(row.p99),
        row.non2xx,
        row.errors,
        fmt(row.shareOfBare, 3),
      ]),
    ),
  );
  return rows;
}

/** PostgreSQL alone, one read at a time: the statements the repository issues for each api scenario. */
async function explainSize(size: Size): Promise<void> {
  const explained = await explainReads(size.dataSource, [
    [LISTING, {}],
    ...SEARCHES.map((search): [string, Params] => [search.name, search.params]),
    [DEEP, { cursor: size.cursor }],
    [DETAIL, size.detailIds[0]],
  ]);
  console.log(
    `PostgreSQL alone at ${label(size.orders)}, one read at a time (EXPLAIN ANALYZE, summed over ` +
      'statements, median of 3):',
  );
  console.log(
    table(
      ['scenario', 'statements', 'db ms'],
      explained.map((read) => [read.name, read.statements, fmt(read.ms, 2)]),
    ),
  );
  if (env.BENCH_EXPLAIN === '1')
    for (const read of explained) if (read.ms > EXPLAIN_MS) console.log(`\n${read.name}\n${read.plan}`);
}

function markdown(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Prints the summary and the targets' verdicts; returns the number of failed requests. */
function summarise(sizes: Size[], results: Map<Size, ReturnType<typeof combine>>): number {
  const find = (size: Size, scenario: string) => results.get(size)!.find((row) => row.scenario === scenario)!;
  const smallest = sizes[0];
  const largest = sizes[sizes.length - 1];
  const scenarios = results.get(smallest)!.map((row) => row.scenario);

  const header = [
    'scenario',
    'orders',
    'req/s',
    'p50 ms',
    'p99 ms',
    'api/bare',
    `p99 / p99 at ${label(smallest.orders)}`,
  ];
  const rows = scenarios.flatMap((scenario) =>
    sizes.map((size) => {
      const row = find(size, scenario);
      return [
        scenario,
        label(size.orders),
        fmt(row.requestsPerSecond, 0),
        fmt(row.p50),
        fmt(row.p99),
        scenario === BARE ? '1.000' : fmt(row.shareOfBare, 3),
        fmt(row.p99 / find(smallest, scenario).p99, 2),
      ];
    }),
  );
  console.log(`\n=== Summary: medians over ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} ===`);
  console.log(table(header, rows));

  const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');
  console.log('');
  if (sizes.length > 1) {
    for (const scenario of scenarios.filter((name) => name !== BARE)) {
      const [from, to] = [find(smallest, scenario).p99, find(largest, scenario).p99];
      console.log(
        `p99 at ${label(largest.orders)} within ${P99_GROWTH_LIMIT}x of p99 at ${label(smallest.orders)}, ` +
          `${scenario}: ${verdict(to <= P99_GROWTH_LIMIT * from)} (${fmt(to)} ms vs ${fmt(from)} ms, ` +
          `x${fmt(to / from, 2)})`,
      );
    }
  }
  for (const size of sizes) {
    for (const scenario of UNCACHED_READS) {
      const share = find(size, scenario).shareOfBare;
      console.log(
        `uncached read >= ${MIN_SHARE_OF_BARE} of bare at ${label(size.orders)}, ${scenario}: ` +
          `${verdict(share >= MIN_SHARE_OF_BARE)} (${fmt(share, 3)})`,
      );
    }
  }
  console.log(`\nFor bench/README.md:\n\n${markdown(header, rows)}`);
  return sizes.reduce(
    (sum, size) => sum + results.get(size)!.reduce((bad, row) => bad + row.non2xx + row.errors, 0),
    0,
  );
}

function commit(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('--no-optional-locks', 'status', '--porcelain');
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function main(): Promise<void> {
  log(
    `sizes ${SIZES.join(', ')}; ${AGENCIES} agencies; ${ROUNDS} rounds of ${DURATION} s per scenario, ` +
      `${CONNECTIONS} connections; api processes ${API_PROCESSES}; Node ${process.version}; ` +
      `commit ${commit()}; ${new Date().toISOString()}`,
  );
  const prepared: Awaited<ReturnType<typeof prepareSize>>[] = [];
  try {
    for (const orders of SIZES) prepared.push(await prepareSize(orders));
    if (env.BENCH_SCALE_PREPARE_ONLY === '1') return;

    const sizes: Size[] = [];
    for (const [i, orders] of SIZES.entries()) sizes.push(await startSize(orders, prepared[i]));
    for (const size of sizes) {
      log(
        `${size.orders} orders (${size.published} public): api and bare server answering; page ` +
          `${(size.pageBytes / 1024).toFixed(1)} KB, ${size.detailIds.length} detail ids, deep page ${DEEP_PAGES + 1}`,
      );
      if (WARMUP > 0) {
        await loadPaths('warm-up bare', size.bareUrl, ['/job-orders'], WARMUP, CONNECTIONS);
        for (const [scenario, paths] of size.scenarios) {
          await loadPaths(`warm-up ${scenario}`, size.apiUrl, paths, WARMUP, CONNECTIONS);
        }
      }
    }

    const rounds = new Map<Size, Row[][]>(sizes.map((size) => [size, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round starts with another size: none is always measured first, or last, in a drifting load.
      for (let k = 0; k < sizes.length; k++) {
        const size = sizes[(round - 1 + k) % sizes.length];
        rounds.get(size)!.push(await measureRound(size, round));
      }
    }
    await stopChildren();

    const results = new Map(sizes.map((size) => [size, combine(rounds.get(size)!)]));
    for (const size of sizes) {
      await deleteKeys(`bench-${size.database}`); // the detail's pending view counts: no worker folds them here
      console.log(
        `\n=== ${size.orders} orders (${size.published} public) over ${AGENCIES} agencies, ` +
          `database ${size.database}: medians over ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} ===\n` +
          `${size.generation}\nload average (1 5 15 min) at start -> end of each round: ${size.loadAverages.join('; ')}`,
      );
      console.log(
        table(
          ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'p99 range', 'non-2xx', 'errors', 'KB/resp', 'api/bare'],
          results
            .get(size)!
            .map((row) => [
              row.scenario,
              fmt(row.requestsPerSecond, 0),
              fmt(row.p50),
              fmt(row.p99),
              row.p99Range,
              row.non2xx,
              row.errors,
              fmt(row.kbPerResponse),
              fmt(row.shareOfBare, 3),
            ]),
        ),
      );
      await explainSize(size);
    }

    const bad = summarise(sizes, results);
    if (bad > 0) {
      console.error(`\n${bad} non-2xx responses or errors: the figures are not valid`);
      process.exitCode = 1;
    }
  } finally {
    await stopChildren();
    for (const { dataSource } of prepared) await dataSource.destroy();
  }
}

runBenchmark('scale', main);
