/** Shared pieces of the benchmarks: child processes, readiness, autocannon runs and the report table. */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import autocannon from 'autocannon';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '@app/core';

import { ensureDatabase } from '../scripts/ensure-database';

export const ROOT = join(__dirname, '..', '..');
export const SERVER_URL = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Environment for an api or worker child pointed at a benchmark database. */
export function benchEnv(database: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: `${SERVER_URL}/${database}`,
    REDIS_URL,
    REDIS_PREFIX: `bench-${database}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Creates the database when missing and applies the migrations. */
export async function migratedDatabase(database: string): Promise<DataSource> {
  await ensureDatabase(`${SERVER_URL}/${database}`);
  const dataSource = await new DataSource(
    dataSourceOptions({ databaseUrl: `${SERVER_URL}/${database}` }),
  ).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/**
 * Runs a compiled script of dist/ as a child with the @app/* aliases registered. BENCH_NODE_ARGS adds node
 * flags to every child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a server spends its time.
 */
export function startNode(script: string, env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return spawn(
    process.execPath,
    [...nodeArgs, '-r', join(ROOT, 'scripts', 'register-dist-paths.js'), join(ROOT, 'dist', script), ...args],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function load(name: string, options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 20, duration: 15, ...options });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Prints each scenario with its throughput as a share of the bare baseline measured in the same run. */
export function report(baseline: LoadResult, scenarios: LoadResult[]): void {
  const rows = [baseline, ...scenarios].map((r) => ({
    scenario: r.name,
    'req/s': Math.round(r.requestsPerSecond),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'non-2xx': r.non2xx,
    errors: r.errors,
    'vs bare': r === baseline ? '1.00' : (r.requestsPerSecond / baseline.requestsPerSecond).toFixed(2),
  }));
  console.table(rows);
}

/** Deletes a run's Redis keys (best effort: a benchmark never fails on its clean-up). */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // best effort
  } finally {
    redis.disconnect();
  }
}
