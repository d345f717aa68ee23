/**
 * Throughput of POST /api/v1/consultations against a bare NestJS + Fastify endpoint doing one INSERT
 * (`npm run bench:consultations`).
 *
 * A fresh database with a few agencies and published orders; the api and bench/bare-nest-insert.ts as
 * child processes (no worker: the request path ends at the Postgres commit). After a warm-up, autocannon
 * drives each endpoint with 50 connections; every request carries a new phone number, so none is
 * answered from the dedupe. Each measured run starts after a CHECKPOINT, so that none pays for the WAL of the
 * one before. Target: at least 70% of the bare ceiling and p99 under 50 ms.
 *
 * Then the request's phases are timed one by one in this process (validation, crypto, province key,
 * the rate-limit EVALSHA, the eligibility SELECT, the group-committed accept, a single INSERT), to show
 * where the time goes. BENCH_SECONDS changes the measured duration (default 15), BENCH_ROUNDS the
 * number of bare/api pairs (default 2).
 */
import { ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';

import { AppValidationPipe, normalizeVietnamesePhone, PersonalDataCipher, RateLimiter } from '@app/core';
import { CreateConsultationDto, newTrackingCode } from '@app/consultations';
import { provinceKey } from '@app/reference';

import { ConsultationsRepository } from '../libs/consultations/src/consultations.repository';
import {
  benchEnv,
  load,
  LoadResult,
  migratedDatabase,
  REDIS_URL,
  report,
  SERVER_URL,
  startNode,
  stop,
  waitForHttp,
} from './common';
import { alive, consultationBody, createFixtures, dropDatabase, freePort } from './consultations-fault';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 50;

/** Every request gets the next serial, hence a phone number never used before in this run. */
let serial = 0;

function bodies(orderIds: string[]): autocannon.Request['setupRequest'] {
  return (request) => ({ ...request, body: JSON.stringify(consultationBody(orderIds, serial++)) });
}

function scenario(url: string, path: string, orderIds: string[], seconds: number): autocannon.Options {
  return {
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        setupRequest: bodies(orderIds),
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Phase timings
// ---------------------------------------------------------------------------------------------------------

interface Phase {
  phase: string;
  'µs/op (1 thread)'?: number;
  'ops/s @50'?: number;
  'p50 ms'?: number;
  'p99 ms'?: number;
  'client CPU µs/op'?: number;
}

async function perOp(iterations: number, op: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(iterations, 500); i++) await op(i); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await op(i);
  return Math.round(Number(process.hrtime.bigint() - started) / iterations / 100) / 10;
}

/** `concurrency` loops calling `op` for `ms`: throughput, latency percentiles and this process's CPU per op. */
async function closedLoop(
  concurrency: number,
  ms: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ opsPerSecond: number; p50: number; p99: number; cpuMicros: number }> {
  const latencies: number[] = [];
  let next = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await op(next++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(latencies[Math.floor(p * (latencies.length - 1))] * 10) / 10;
  return {
    opsPerSecond: Math.round(latencies.length / elapsed),
    p50: at(0.5),
    p99: at(0.99),
    cpuMicros: Math.round((used.user + used.system) / latencies.length),
  };
}

async function phases(
  dataSource: DataSource,
  database: string,
  orderIds: string[],
  agencyId: string,
): Promise<Phase[]> {
  const rows: Phase[] = [];
  const sample = (i: number) => consultationBody(orderIds, 50_000_000 + i);

  const pipe = new AppValidationPipe();
  rows.push({
    phase: 'validation: AppValidationPipe → CreateConsultationDto',
    'µs/op (1 thread)': await perOp(5000, (i) =>
      pipe.transform(sample(i), { type: 'body', metatype: CreateConsultationDto, data: '' }),
    ),
  });

  const cipher = new PersonalDataCipher(randomBytes(32));
  rows.push({
    phase: 'crypto: phone normalise, 3 HMAC, 2-3 AES-GCM, SHA-256, tracking code',
    'µs/op (1 thread)': await perOp(20_000, (i) => {
      const body = sample(i);
      const phone = normalizeVietnamesePhone(body.phone as string)!;
      cipher.lookupHash(phone); // controller: rate-limit key
      cipher.lookupHash(phone); // service: dedupe hash
      cipher.lookupHash('ip:127.0.0.1');
      cipher.encrypt(body.fullName as string);
      cipher.encrypt(phone);
      if (body.message) cipher.encrypt(body.message as string);
      createHash('sha256').update(JSON.stringify(body)).digest('hex');
      return newTrackingCode();
    }),
  });
  rows.push({
    phase: 'province key (fold Vietnamese, map lookup)',
    'µs/op (1 thread)': await perOp(20_000, (i) => provinceKey(sample(i).province as string)),
  });

  // The controller's rate limits (IP and phone in one EVALSHA), against the same Redis.
  const redis = new Redis(REDIS_URL, { keyPrefix: `bench-${database}:`, maxRetriesPerRequest: 1 });
  try {
    const limiter = new RateLimiter(redis);
    const limits = await closedLoop(CONNECTIONS, 4000, (i) =>
      limiter.consume(
        [
          { key: 'consultations:ip:127.0.0.1', limit: 1e9 },
          { key: `consultations:phone:${i}`, limit: 1e9 },
        ],
        3600,
      ),
    );
    rows.push({ phase: 'Redis: RateLimiter.consume, IP and phone in one EVALSHA', ...latency(limits) });
  } finally {
    redis.disconnect();
  }

  const eligibility = await closedLoop(CONNECTIONS, 4000, (i) =>
    dataSource.query(
      `SELECT o.id, o.agency_id, o.publication_status, a.license_status, o.gender, o.birth_year_from, o.birth_year_to
       FROM job_orders o JOIN agencies a ON a.id = o.agency_id WHERE o.id = $1`,
      [orderIds[i % orderIds.length]],
    ),
  );
  rows.push({
    phase: 'Postgres: eligibility SELECT (TypeORM pool 20; the api reuses it for 1 s)',
    ...latency(eligibility),
  });

  // The real accept: concurrent calls share one accept_consultations() call (group commit: the applicant's
  // key, locks, dedupe, the requests, consents, events, outbox rows, one transaction).
  const repository = new ConsultationsRepository(dataSource);
  const sealed = cipher.encrypt('Nguyễn Văn Thử');
  const accept = await closedLoop(CONNECTIONS, 5000, () =>
    repository.accept(
      {
        id: randomUUID(),
        trackingCode: newTrackingCode(),
        jobOrderId: orderIds[0],
        agencyId,
        fullNameEncrypted: sealed,
        phoneEncrypted: sealed,
        phoneHash: randomBytes(32).toString('hex'),
        provinceCode: 'nghe-an',
        birthYear: 1995,
        gender: null,
        messageEncrypted: null,
        ipHash: randomBytes(32).toString('hex'),
        consentPolicyVersion: 'bench',
      },
      { keyWrapped: cipher.newKey().wrapped, offered: true },
    ),
  );
  rows.push({
    phase: 'Postgres: repository.accept(), group commit (accept_consultations)',
    ...latency(accept),
  });

  const pool = new Pool({ connectionString: `${SERVER_URL}/${database}`, max: 20 });
  try {
    const single = await closedLoop(CONNECTIONS, 5000, (i) =>
      pool.query('INSERT INTO bare_inserts (body) VALUES ($1) RETURNING id', [sample(i)]),
    );
    rows.push({
      phase: 'Postgres: one INSERT (pg pool 20, as the bare app)',
      ...latency(single),
    });
  } finally {
    await pool.end();
  }
  return rows;
}

function latency(result: {
  opsPerSecond: number;
  p50: number;
  p99: number;
  cpuMicros: number;
}): Pick<Phase, 'ops/s @50' | 'p50 ms' | 'p99 ms' | 'client CPU µs/op'> {
  return {
    'ops/s @50': result.opsPerSecond,
    'p50 ms': result.p50,
    'p99 ms': result.p99,
    'client CPU µs/op': result.cpuMicros,
  };
}

// ---------------------------------------------------------------------------------------------------------

interface CpuRow {
  scenario: string;
  'req/s': number;
  'server CPU % of a core': number | string;
  'server CPU µs/request': number | string;
  'PostgreSQL CPU µs/request': number | string;
  'machine busy %': number | string;
}

/** CPU seconds a process has used so far (Linux /proc), or undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by each client backend connected to `database`, by pid, when PostgreSQL runs on this
 * machine (its processes are in /proc); empty otherwise. Not counted: autovacuum, the WAL writer, checkpoints.
 */
async function backendCpuSeconds(dataSource: DataSource, database: string): Promise<Map<number, number>> {
  const rows: { pid: number }[] = await dataSource.query(
    `SELECT pid FROM pg_stat_activity
     WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    [database],
  );
  const seconds = new Map<number, number>();
  for (const { pid } of rows) {
    const used = cpuSeconds(pid);
    if (used !== undefined) seconds.set(pid, used);
  }
  return seconds;
}

/** Busy and total jiffies of the whole machine (Linux /proc), or undefined elsewhere. */
function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const values = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, v) => sum + v, 0);
    return { busy: total - values[3] - values[4], total };
  } catch {
    return undefined;
  }
}

/**
 * Writes out what earlier scenarios left in PostgreSQL's buffers, so that a scenario does not pay for the one before
 * it: without this, a checkpoint that the previous run's WAL requested lands in the next run. Needs a superuser or
 * pg_checkpoint; without either the scenarios run as they come.
 */
async function checkpoint(dataSource: DataSource): Promise<void> {
  try {
    await dataSource.query('CHECKPOINT');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`CHECKPOINT refused (${reason}): runs are not isolated`);
  }
}

/** load() after a checkpoint, plus the server child's CPU while it ran. */
async function measured(
  name: string,
  child: ChildProcess,
  options: autocannon.Options,
  rows: CpuRow[],
  postgres: { dataSource: DataSource; database: string },
): Promise<LoadResult> {
  await checkpoint(postgres.dataSource);
  const cpuBefore = cpuSeconds(child.pid);
  const backendsBefore = await backendCpuSeconds(postgres.dataSource, postgres.database);
  const machineBefore = machineJiffies();
  const started = performance.now();
  const result = await load(name, options);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(child.pid);
  const backendsAfter = await backendCpuSeconds(postgres.dataSource, postgres.database);
  const machineAfter = machineJiffies();
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  // A backend that connected during the load counts from zero; one that left before its end is not counted.
  const postgresCpu = [...backendsAfter].reduce(
    (sum, [pid, used]) => sum + used - (backendsBefore.get(pid) ?? 0),
    0,
  );
  const perRequest = (cpuSeconds: number) =>
    Math.round((cpuSeconds * 1e6) / (result.requestsPerSecond * seconds));
  rows.push({
    scenario: name,
    'req/s': Math.round(result.requestsPerSecond),
    'server CPU % of a core': cpu === undefined ? 'n/a' : Math.round((100 * cpu) / seconds),
    'server CPU µs/request': cpu === undefined ? 'n/a' : perRequest(cpu),
    'PostgreSQL CPU µs/request': backendsAfter.size === 0 ? 'n/a' : perRequest(postgresCpu),
    'machine busy %':
      machineBefore && machineAfter
        ? Math.round(
            (100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total),
          )
        : 'n/a',
  });
  return result;
}

async function main(): Promise<void> {
  const database = `xkld_bench_consult_${randomBytes(4).toString('hex')}`;
  let dataSource: DataSource | undefined;
  const children = new Set<ChildProcess>();
  // common.stop() waits for an 'exit' that never comes again once a child died by a signal: stop each once.
  const stopChild = async (child: ChildProcess) => {
    if (children.delete(child) && alive(child)) await stop(child);
  };
  try {
    console.log(`creating ${database}`);
    dataSource = await migratedDatabase(database);
    const fixtures = await createFixtures(dataSource, 3, 2, false);
    const postgres = { dataSource, database };
    const orderIds = fixtures.flatMap((fixture) => fixture.orderIds);

    const limits = {
      HOST: '127.0.0.1',
      RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR: '1000000000',
      RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR: '1000000',
    };
    const apiPort = await freePort();
    const barePort = await freePort();
    const infoPort = await freePort();
    const apiChild = startNode(
      'apps/api/src/main.js',
      benchEnv(database, { ...limits, PORT: String(apiPort) }),
    );
    const bareChild = startNode('bench/bare-nest-insert.js', benchEnv(database), [String(barePort)]);
    children.add(apiChild).add(bareChild);
    const api = `http://127.0.0.1:${apiPort}`;
    const bare = `http://127.0.0.1:${barePort}`;
    await waitForHttp(`${api}/api/v1/health/live`);
    await waitForHttp(`${bare}/health`);

    console.log(`warming up (5 s each, ${CONNECTIONS} connections)`);
    await load('warm-up bare', scenario(bare, '/insert', orderIds, 5));
    await load('warm-up api', scenario(api, '/api/v1/consultations', orderIds, 5));

    const pairs: [LoadResult, LoadResult][] = [];
    const cpuRows: CpuRow[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}/${ROUNDS}: ${SECONDS} s each at ${CONNECTIONS} connections`);
      const ceiling = await measured(
        `bare Nest+Fastify, one INSERT (round ${round})`,
        bareChild,
        scenario(bare, '/insert', orderIds, SECONDS),
        cpuRows,
        postgres,
      );
      const consultations = await measured(
        `POST /api/v1/consultations (round ${round})`,
        apiChild,
        scenario(api, '/api/v1/consultations', orderIds, SECONDS),
        cpuRows,
        postgres,
      );
      pairs.push([ceiling, consultations]);
      report(ceiling, [consultations]);
    }

    // The same api with the default production log level: one log line per request.
    await stopChild(apiChild);
    const infoApi = startNode(
      'apps/api/src/main.js',
      benchEnv(database, { ...limits, PORT: String(infoPort), LOG_LEVEL: 'info' }),
    );
    children.add(infoApi);
    await waitForHttp(`http://127.0.0.1:${infoPort}/api/v1/health/live`);
    await load(
      'warm-up api info',
      scenario(`http://127.0.0.1:${infoPort}`, '/api/v1/consultations', orderIds, 3),
    );
    const withInfoLogs = await measured(
      'POST /api/v1/consultations, LOG_LEVEL=info',
      infoApi,
      scenario(`http://127.0.0.1:${infoPort}`, '/api/v1/consultations', orderIds, SECONDS),
      cpuRows,
      postgres,
    );
    await stopChild(infoApi);
    const lastCeiling = pairs[pairs.length - 1][0];
    console.log('\nLog level (compared with the last bare round):');
    report(lastCeiling, [withInfoLogs]);
    console.log(
      '\nCPU under load of the server process and of the PostgreSQL backends of its database (2 cores shared with autocannon):',
    );
    console.table(cpuRows);

    const verdicts = pairs.map(([ceiling, consultations]) => ({
      ratio: consultations.requestsPerSecond / ceiling.requestsPerSecond,
      p99: consultations.p99,
    }));
    console.log(
      `\nTarget: POST /consultations >= ${TARGET_RATIO * 100}% of the bare ceiling, p99 < ${TARGET_P99_MS} ms at ${CONNECTIONS} connections`,
    );
    let met = true;
    for (const [i, { ratio, p99 }] of verdicts.entries()) {
      const ok = ratio >= TARGET_RATIO && p99 < TARGET_P99_MS;
      met &&= ok;
      console.log(
        `  round ${i + 1}: ${(ratio * 100).toFixed(0)}% of bare, p99 ${p99} ms → ${ok ? 'met' : 'MISSED'}`,
      );
    }
    const [{ count }]: { count: number }[] = await dataSource.query(
      `SELECT count(*)::int AS count FROM consultation_requests`,
    );
    console.log(`  rows written by the api: ${count} (distinct phones, so no request was deduped)`);

    console.log(`\nPhases of one request, timed separately${met ? '' : ' (the target was missed)'}:`);
    console.table(await phases(dataSource, database, orderIds, fixtures[0].agencyId));
  } finally {
    for (const child of [...children]) await stopChild(child);
    await dataSource?.destroy().catch(() => undefined);
    await dropDatabase(database).catch((error: unknown) => console.error('could not drop', database, error));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
