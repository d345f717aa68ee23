/**
 * `npm run bench:web`: the listing page (`GET /`) against `GET /api/v1/job-orders` on the same queries, in
 * one run on one api process, and the home page's weight as sent compressed (HTML, CSS; it has no script).
 *
 * Environment (all optional): BENCH_DURATION=15 seconds per scenario, BENCH_CONNECTIONS=20,
 * BENCH_LISTING_CACHE_TTL=5 (the api's default: both read the same cached page of orders).
 */
import 'reflect-metadata';

import { gzipSync } from 'node:zlib';

import { benchEnv, load, migratedDatabase, report, startNode, stop, waitForHttp } from './common';

import { seedDemoData } from '../scripts/seed';

const DATABASE = 'xkld_bench_web';
const PORT = 3917;
const QUERIES = ['', '?country=JP', '?q=che+bien+thuc+pham', '?sort=salary', '?gender=female&birthYear=1998'];

async function main(): Promise<void> {
  const dataSource = await migratedDatabase(DATABASE);
  await seedDemoData(dataSource);
  await dataSource.destroy();
  const env = benchEnv(DATABASE, {
    PORT: String(PORT),
    HOST: '127.0.0.1',
    LISTING_CACHE_TTL_SECONDS: process.env.BENCH_LISTING_CACHE_TTL ?? '5',
  });
  const api = startNode('apps/api/src/main.js', env);
  try {
    const base = `http://127.0.0.1:${PORT}`;
    await waitForHttp(`${base}/api/v1/job-orders`);
    const html = await (await fetch(`${base}/`)).text();
    const css = /href="(\/assets\/app\.[0-9a-f]{10}\.css)"/.exec(html)![1];
    const cssBytes = Buffer.from(
      await (await fetch(`${base}${css}`, { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer(),
    );
    const weight = gzipSync(html).length + gzipSync(cssBytes).length;
    console.log(
      `home page: ${html.length} B of HTML, ${gzipSync(html).length} B gzip; CSS ${gzipSync(cssBytes).length} B gzip; total ${(weight / 1024).toFixed(1)} KB compressed (budget 60 KB)`,
    );

    const duration = Number(process.env.BENCH_DURATION ?? 15);
    const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
    const requests = (prefix: string) =>
      QUERIES.map((query) => ({ method: 'GET' as const, path: `${prefix}${query}` }));
    await load('warm-up', {
      url: base,
      requests: [...requests('/'), ...requests('/api/v1/job-orders')],
      duration: 3,
      connections,
    });
    const apiResult = await load('GET /api/v1/job-orders', {
      url: base,
      requests: requests('/api/v1/job-orders'),
      duration,
      connections,
    });
    const pageResult = await load('GET / (listing page)', {
      url: base,
      requests: requests('/'),
      duration,
      connections,
    });
    report(apiResult, [pageResult]);
    const ratio = pageResult.requestsPerSecond / apiResult.requestsPerSecond;
    console.log(
      `listing page throughput: ${ratio.toFixed(2)} of the API's on the same queries (target ≥ 0.50)`,
    );
  } finally {
    await stop(api);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
