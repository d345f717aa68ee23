/**
 * What the job-order benchmarks share (`bench:job-orders`, `bench:scale`): the benchmark data, the URLs, the
 * check that every URL answers a page, and PostgreSQL's own time for what the repository issues.
 */
import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';

import { decodeCursor } from '@app/core';
import { JobOrderQueryDto, publicSearchFilter } from '@app/job-orders';

import { JobOrdersRepository } from '../libs/job-orders/src/job-orders.repository';
import { generateJobOrders } from './generate-job-orders';

export const API_PATH = '/api/v1/job-orders';

export type Params = Record<string, string | number>;

export function toPath(params: Params): string {
  const query = Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query ? `${API_PATH}?${query}` : API_PATH;
}

export interface PrepareOptions {
  orders: number;
  agencies: number;
  /**
   * 'at-least': keep the data when the database holds at least `orders` orders; 'exact': only when it holds
   * exactly `orders` orders and `agencies` agencies (a database per size).
   */
  reuse: 'at-least' | 'exact';
  /** Regenerate even when the data could be kept. */
  regenerate?: boolean;
  log: (message: string) => void;
}

/** Keeps or (re)generates the benchmark data of a migrated database; returns a line saying which. */
export async function prepareJobOrders(dataSource: DataSource, options: PrepareOptions): Promise<string> {
  const { orders, agencies, log } = options;
  const [held]: { orders: number; agencies: number }[] = await dataSource.query(
    `SELECT (SELECT count(*)::int FROM job_orders) AS orders, (SELECT count(*)::int FROM agencies) AS agencies`,
  );
  const keep =
    options.reuse === 'exact' ? held.orders === orders && held.agencies === agencies : held.orders >= orders;
  if (keep && !options.regenerate) {
    log(`database holds ${held.orders} orders over ${held.agencies} agencies: keeping them`);
    return `kept ${held.orders} existing orders over ${held.agencies} agencies`;
  }
  log(`generating ${orders} orders over ${agencies} agencies (database held ${held.orders})`);
  const started = Date.now();
  let reported = 0;
  const result = await generateJobOrders(dataSource, {
    orders,
    agencies,
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
    `${total.toFixed(1)} s (insert ${result.insertSeconds.toFixed(1)} s, indexes ${result.indexSeconds.toFixed(1)} s, ` +
    `VACUUM ANALYZE ${result.analyzeSeconds.toFixed(1)} s)`;
  log(summary);
  return summary;
}

export interface Checked {
  path: string;
  items: number;
  bytes: number;
  body: string;
}

/** Every URL must answer 200; a 4xx here would make the load figures meaningless. */
export async function checkUrls(base: string, paths: string[]): Promise<Checked[]> {
  const checked: Checked[] = [];
  for (const path of paths) {
    const response = await fetch(base + path);
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 500)}`);
    const page = JSON.parse(body) as { items?: unknown[] };
    checked.push({ path, items: page.items?.length ?? 1, bytes: Buffer.byteLength(body), body });
  }
  return checked;
}

/** The filter the api's listing builds for the URL's query (its cursor included). */
function searchFilter(params: Params): ReturnType<typeof publicSearchFilter> {
  const query = plainToInstance(
    JobOrderQueryDto,
    Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)])),
  );
  const after = query.cursor ? decodeCursor(query.cursor, ['s', 's', 's']) : undefined;
  return publicSearchFilter(query, after && { sortKey: String(after[1]), id: String(after[2]) });
}

export interface Explained {
  /** Median over three runs of the summed execution times of the statements, ms. */
  ms: number;
  statements: number;
  /** The plans of the last run. */
  plan: string;
}

/**
 * Runs `read` against the real repository with a DataSource that also EXPLAIN ANALYZEs every statement it
 * issues (the repository may issue more than one, and decides on real rows).
 */
async function explain(
  dataSource: DataSource,
  read: (repository: JobOrdersRepository) => Promise<unknown>,
): Promise<Explained> {
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
    await read(repository);
    times.push(
      plans.reduce((sum, plan) => sum + Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN), 0),
    );
    last = plans;
  }
  times.sort((a, b) => a - b);
  const plan = last.map((text, i) => `-- statement ${i + 1} of ${last.length}\n${text}`).join('\n');
  return { ms: times[1], statements: last.length, plan };
}

/** A read of the public catalogue: a search by its URL's query, or an order's page by its id. */
export type PublicRead = Params | string;

export interface ExplainedRead extends Explained {
  name: string;
}

/** Explains each read in turn, one at a time, as `explain` does. */
export async function explainReads(
  dataSource: DataSource,
  reads: [name: string, read: PublicRead][],
): Promise<ExplainedRead[]> {
  const explained: ExplainedRead[] = [];
  for (const [name, read] of reads) {
    const { ms, statements, plan } = await explain(dataSource, (repository) =>
      typeof read === 'string'
        ? repository.findPublicById(read)
        : repository.searchPublic(searchFilter(read)),
    );
    explained.push({ name, ms, statements, plan });
  }
  return explained;
}
