/** Shared pieces of the benchmarks: child processes, readiness, autocannon runs and the report table. */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

import autocannon from 'autocannon';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '@app/core';

import { ensureDatabase } from '../scripts/ensure-database';

export const ROOT = join(__dirname, '..', '..');
export const SERVER_URL = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Environment for an api or worker child pointed at a benchmark database. One process each unless
 * BENCH_API_PROCESSES / BENCH_WORKER_PROCESSES say otherwise: production's default is every core, which would
 * change what the benchmarks have always measured.
 */
export function benchEnv(database: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    API_PROCESSES: process.env.BENCH_API_PROCESSES ?? '1',
    WORKER_PROCESSES: process.env.BENCH_WORKER_PROCESSES ?? '1',
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

/** A non-negative integer from the environment, or `fallback` when unset. */
export function intEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer`);
  return parsed;
}

export function freePort(): Promise<number> {
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

/** A server started by `startChild`, with the tail of its output for the error that says why it died. */
export interface Child {
  name: string;
  process: ChildProcess;
  output: () => string;
}

const children: Child[] = [];

/** Runs a compiled script (path under ROOT) with BENCH_NODE_ARGS; `stopChildren` ends every such child. */
export function startChild(name: string, script: string, childEnv: NodeJS.ProcessEnv): Child {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
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

export async function stopChildren(): Promise<void> {
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

/**
 * Runs a benchmark's main function; Ctrl-C, a failure or a crash must not leave the servers of `startChild`
 * holding ports and connections.
 */
export function runBenchmark(tag: string, main: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stopChildren().finally(() => process.exit(130));
    });
  }
  process.on('exit', () => {
    for (const { process: child } of children) child.kill('SIGKILL');
  });
  main().catch(async (error: unknown) => {
    console.error(`[${tag}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopChildren();
    process.exit(1);
  });
}

export async function waitUntilAnswering(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
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

export interface PathStats {
  latencies: number[];
  non2xx: number;
}

export interface Measured {
  scenario: string;
  connections: number;
  result: autocannon.Result;
  /** Latency of every response in ms, unrounded (autocannon's own percentiles are whole milliseconds). */
  latencies: number[];
  perPath: Map<string, PathStats>;
}

/** autocannon 8 keeps the request a connection is on here; not part of its typed API. */
interface ClientInternals {
  requestIterator?: { currentRequest?: { path?: string } };
}

/** autocannon cycling through `paths`, with the latency of each response recorded by path. */
export function loadPaths(
  title: string,
  url: string,
  paths: string[],
  duration: number,
  connections: number,
): Promise<Measured> {
  const perPath = new Map<string, PathStats>();
  const latencies: number[] = [];
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
          : resolve({ scenario: title, connections, result, latencies, perPath }),
    );
    // With pipelining 1 the connection's current request is the one just answered.
    instance.on('response', (client, status, _bytes, ms) => {
      latencies.push(ms);
      const path = (client as ClientInternals).requestIterator?.currentRequest?.path;
      if (!path) return;
      let stats = perPath.get(path);
      if (!stats) perPath.set(path, (stats = { latencies: [], non2xx: 0 }));
      stats.latencies.push(ms);
      if (status < 200 || status > 299) stats.non2xx++;
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
