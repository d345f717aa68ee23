/**
 * Fault run of the consultation pipeline (`npm run bench:fault`).
 *
 * A fresh database, a few agencies with published orders and a webhook each (a local receiver that checks
 * the X-Signature and counts X-Delivery-Id), the api and the worker as child processes. Then at least
 * 2,000 valid requests are submitted at a modest pace while the worker is SIGKILLed and restarted, Redis
 * is stopped for 30 seconds (shutdown nosave: its data is gone) and later flushed. Afterwards it waits for
 * every accepted request to be settled and every webhook delivery to be recorded, and checks that nothing
 * was lost or duplicated. Exits non-zero when a must-be-0 check fails.
 *
 * The api and the worker run as two processes each (BENCH_API_PROCESSES, BENCH_WORKER_PROCESSES; node:cluster):
 * the first worker fault kills one of the worker's processes (its primary starts another), the later ones
 * every process of the worker at once.
 *
 * The Redis it stops and flushes is a redis-server of its own on FAULT_REDIS_PORT (default 6390), started and
 * shut down by the run, so that nothing else on the machine loses its Redis. With BENCH_REDIS_URL it uses that
 * one instead, which must be a local, disposable server; it is always started again at the end, also after an
 * error or Ctrl-C.
 */
import { ChildProcess, execFile } from 'node:child_process';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { promisify } from 'node:util';

import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { hashPassword } from '@app/accounts';

import {
  benchEnv,
  deleteKeys,
  migratedDatabase,
  REDIS_URL,
  SERVER_URL,
  startNode,
  stop,
  waitForHttp,
} from './common';

const run = promisify(execFile);

const TOTAL_REQUESTS = Number(process.env.FAULT_REQUESTS ?? 2400);
const SUBMIT_MS = Number(process.env.FAULT_SUBMIT_SECONDS ?? 100) * 1000;
const IN_FLIGHT = 10;
const IDEMPOTENT_EVERY = 5;
const REDIS_DOWN_MS = 30_000;
const DRAIN_DEADLINE_MS = 180_000;
const YEAR = new Date().getUTCFullYear();
const PROVINCES = ['Nghệ An', 'Hà Nội', 'TP. Hồ Chí Minh', 'Bac Giang', 'Thanh Hóa', 'Đà Nẵng', 'Hải Phòng'];

const OWN_REDIS = !process.env.BENCH_REDIS_URL;
const FAULT_REDIS_URL = OWN_REDIS ? `redis://127.0.0.1:${process.env.FAULT_REDIS_PORT ?? 6390}` : REDIS_URL;
const redisAddress = new URL(FAULT_REDIS_URL);
const REDIS_HOST = redisAddress.hostname;
const REDIS_PORT = redisAddress.port || '6379';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// Fixtures (also used by consultations.bench.ts)
// ---------------------------------------------------------------------------------------------------------

export interface Fixture {
  agencyId: string;
  orderIds: string[];
  admin: { email: string; password: string };
}

/** Active agencies, each with published orders open to any gender and a wide birth-year range. */
export async function createFixtures(
  dataSource: DataSource,
  agencies: number,
  ordersPerAgency: number,
  withAdmins = true,
): Promise<Fixture[]> {
  const fixtures: Fixture[] = [];
  for (let a = 0; a < agencies; a++) {
    const serial = randomInt(1e9);
    const [{ id: agencyId }]: { id: string }[] = await dataSource.query(
      `INSERT INTO agencies (name, license_number, license_status, enterprise_code, province_code)
       VALUES ($1, $2, 'active', $3, 'ha-noi') RETURNING id`,
      [
        `Công ty Cung ứng Nhân lực Thử tải ${a + 1}`,
        `BENCH-${serial}/LĐTBXH-GP`,
        String(serial).padStart(10, '0'),
      ],
    );
    const orderIds: string[] = [];
    for (let o = 0; o < ordersPerAgency; o++) {
      const [{ id }]: { id: string }[] = await dataSource.query(
        `INSERT INTO job_orders (agency_id, title, occupation, country_code, work_location, industry_code, program_code,
           openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency, salary_vnd_estimate,
           contract_months, service_fee_vnd, deposit_vnd, total_cost_vnd, registration_status, publication_status,
           published_at)
         VALUES ($1, $2, 'Công nhân', 'JP', 'Osaka', 'manufacturing', 'jp_technical_intern', 50, 'any', 1960, $3,
           180000, 'JPY', 30000000, 36, 30000000, 0, 30000000, 'approved', 'published', now())
         RETURNING id`,
        [agencyId, `Đơn hàng thử tải ${a + 1}.${o + 1}: đóng gói thực phẩm`, YEAR - 18],
      );
      orderIds.push(id);
    }
    const admin = { email: `bench-admin-${a}-${serial}@example.vn`, password: `mật khẩu thử tải ${serial}` };
    if (withAdmins) {
      await dataSource.query(
        `INSERT INTO users (email, password_hash, role, agency_id) VALUES ($1, $2, 'agency_admin', $3)`,
        [admin.email, await hashPassword(admin.password), agencyId],
      );
    }
    fixtures.push({ agencyId, orderIds, admin });
  }
  return fixtures;
}

/** A valid request body; `serial` makes the phone (and so the dedupe key) distinct. */
export function consultationBody(orderIds: string[], serial: number): Record<string, unknown> {
  const genders = ['male', 'female', undefined];
  return {
    jobOrderId: orderIds[serial % orderIds.length],
    fullName: `Nguyễn Văn Thử ${serial}`,
    phone: `09${String(12_000_000 + serial).padStart(8, '0')}`,
    province: PROVINCES[serial % PROVINCES.length],
    birthYear: 1975 + (serial % 25),
    gender: genders[serial % genders.length],
    ...(serial % 3 === 0 ? { message: 'Tôi muốn được tư vấn về chi phí và thời gian xuất cảnh.' } : {}),
    consent: true,
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment of the api and the worker that deliver webhooks to a local receiver: on 127.0.0.1:`port`,
 * the consultation rate limits out of the load's way, and private webhook addresses allowed. One for both
 * children: the worker must decrypt what the api encrypted.
 */
export function webhookBenchEnv(
  database: string,
  port: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return benchEnv(database, {
    PORT: String(port),
    HOST: '127.0.0.1',
    RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR: '100000000',
    RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR: '100000',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...extra,
  });
}

/** Points each agency's webhook at its `url` with its `secret`, through the api as the agency's admin. */
export async function setWebhooks(
  base: string,
  hooks: { admin: Fixture['admin']; url: string; secret: string }[],
): Promise<void> {
  for (const { admin, url, secret } of hooks) {
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const put = await fetch(`${base}/agency/webhook`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ url, secret }),
    });
    if (put.status !== 204)
      throw new Error(`PUT /agency/webhook answered ${put.status}: ${await put.text()}`);
  }
}

/** Whether a child is still running. common.stop() waits for an 'exit' that never comes for a dead child. */
export function alive(child: ChildProcess | undefined): child is ChildProcess {
  return !!child && child.exitCode === null && child.signalCode === null;
}

export async function dropDatabase(database: string): Promise<void> {
  const admin = new Client({ connectionString: `${SERVER_URL}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Redis control
// ---------------------------------------------------------------------------------------------------------

async function redisCli(...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', REDIS_HOST, '-p', REDIS_PORT, ...args], { timeout: 5000 });
  return stdout.trim();
}

async function redisUp(): Promise<boolean> {
  try {
    return (await redisCli('ping')) === 'PONG';
  } catch {
    return false;
  }
}

async function stopRedis(): Promise<void> {
  await redisCli('shutdown', 'nosave').catch(() => undefined);
  const deadline = Date.now() + 10_000;
  while ((await redisUp()) && Date.now() < deadline) await sleep(100);
}

async function startRedis(): Promise<void> {
  if (await redisUp()) return;
  await run('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    REDIS_HOST,
    '--port',
    REDIS_PORT,
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const deadline = Date.now() + 10_000;
  while (!(await redisUp())) {
    if (Date.now() > deadline) throw new Error('redis-server did not come back within 10 s');
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The agencies' webhook endpoint
// ---------------------------------------------------------------------------------------------------------

class Receiver {
  readonly perDelivery = new Map<string, number>();
  total = 0;
  badSignatures = 0;
  badBodies = 0;
  private server?: Server;

  /** `secrets[i]` signs the hooks POSTed to /hooks/i. */
  constructor(private readonly secrets: string[]) {}

  async start(): Promise<number> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const secret = this.secrets[Number(/^\/hooks\/(\d+)$/.exec(request.url ?? '')?.[1] ?? -1)];
        const expected = secret
          ? `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`
          : undefined;
        if (!expected || request.headers['x-signature'] !== expected) this.badSignatures++;
        const id = String(request.headers['x-delivery-id'] ?? '');
        try {
          const body = JSON.parse(raw.toString('utf8')) as {
            deliveryId?: string;
            lead?: { id?: string };
          };
          if (body.deliveryId !== id || body.lead?.id !== id) this.badBodies++;
        } catch {
          this.badBodies++;
        }
        this.total++;
        this.perDelivery.set(id, (this.perDelivery.get(id) ?? 0) + 1);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Children
// ---------------------------------------------------------------------------------------------------------

/** Keeps one worker running like a process manager would; counts exits it did not ask for. */
class WorkerSupervisor {
  child?: ChildProcess;
  unexpectedExits = 0;
  private killing = false;
  private closed = false;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  start(): void {
    const child = startNode('apps/worker/src/main.js', this.env);
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.killing || this.closed || this.child !== child) return;
      this.unexpectedExits++;
      log(`worker exited on its own (code ${code}, signal ${signal}); restarting`);
      setTimeout(() => !this.closed && this.start(), 1000);
    });
  }

  /** SIGKILLs every process of the worker at once: the primary of WORKER_PROCESSES and its children. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.killing = true;
    const children = await childPids(child.pid!);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      for (const pid of children) signal(pid, 'SIGKILL');
      child.kill('SIGKILL');
    });
    this.killing = false;
  }

  /** SIGKILLs one of the worker's processes, which its primary replaces; false when it runs as one. */
  async killOne(): Promise<boolean> {
    if (!alive(this.child)) return false;
    const [pid] = await childPids(this.child.pid!);
    return pid !== undefined && signal(pid, 'SIGKILL');
  }

  async close(): Promise<void> {
    this.closed = true;
    if (alive(this.child)) await stop(this.child);
  }
}

async function childPids(pid: number): Promise<number[]> {
  const { stdout } = await run('pgrep', ['-P', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter(Boolean).map(Number);
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

const startedAt = Date.now();
function log(message: string): void {
  console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${message}`);
}

// ---------------------------------------------------------------------------------------------------------
// Submission under faults
// ---------------------------------------------------------------------------------------------------------

interface Tally {
  submitted: number;
  attempts: number;
  accepted: number;
  codes: Set<string>;
  byStatus: Map<string, number>;
  samples: string[];
  acceptedWhileRedisDown: number;
  /** Milliseconds per attempt, split by whether Redis was down. */
  latencyUp: number[];
  latencyDown: number[];
  attemptsWhileRedisDown: number;
  replaysChecked: number;
  replayMismatches: number;
}

async function post(
  url: string,
  body: Record<string, unknown>,
  key?: string,
): Promise<{ status: number; code?: string; detail?: string; ms: number }> {
  const started = performance.now();
  const ms = () => performance.now() - started;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (response.status !== 202) return { status: response.status, detail: text.slice(0, 300), ms: ms() };
    return { status: 202, code: (JSON.parse(text) as { trackingCode: string }).trackingCode, ms: ms() };
  } catch (error) {
    return { status: 0, detail: error instanceof Error ? error.message : String(error), ms: ms() };
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

async function main(): Promise<void> {
  const database = `xkld_fault_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-${database}`;
  let dataSource: DataSource | undefined;
  let api: ChildProcess | undefined;
  let worker: WorkerSupervisor | undefined;
  let receiver: Receiver | undefined;
  let cleanedUp = false;

  const cleanup = async () => {
    if (cleanedUp) return;
    cleanedUp = true;
    if (!OWN_REDIS)
      await startRedis().catch((error: unknown) => console.error('could not restart Redis:', error));
    await worker?.close();
    if (alive(api)) await stop(api);
    await receiver?.stop();
    await dataSource?.destroy().catch(() => undefined);
    await dropDatabase(database).catch((error: unknown) => console.error('could not drop', database, error));
    if (OWN_REDIS) await stopRedis();
    else await deleteKeys(prefix);
  };
  process.once('SIGINT', () => {
    console.error('interrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  });

  try {
    if (OWN_REDIS) {
      await startRedis();
      log(`own Redis on ${REDIS_HOST}:${REDIS_PORT}`);
    } else if (!(await redisUp())) throw new Error(`Redis at ${FAULT_REDIS_URL} does not answer`);
    log(`creating ${database}`);
    dataSource = await migratedDatabase(database);
    const fixtures = await createFixtures(dataSource, 3, 2);
    const orderIds = fixtures.flatMap((fixture) => fixture.orderIds);
    const secrets = fixtures.map((_, i) => `bí mật webhook ${i} ${randomBytes(8).toString('hex')}`);
    receiver = new Receiver(secrets);
    const hookPort = await receiver.start();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api/v1`;
    const processes = {
      API_PROCESSES: process.env.BENCH_API_PROCESSES ?? '2',
      WORKER_PROCESSES: process.env.BENCH_WORKER_PROCESSES ?? '2',
    };
    const env = webhookBenchEnv(database, port, {
      RECONCILE_AFTER_SECONDS: '5',
      REDIS_URL: FAULT_REDIS_URL,
      ...processes,
    });
    api = startNode('apps/api/src/main.js', env);
    await waitForHttp(`${base}/health/live`);
    worker = new WorkerSupervisor(env);
    worker.start();
    await setWebhooks(
      base,
      fixtures.map(({ admin }, i) => ({
        admin,
        url: `http://127.0.0.1:${hookPort}/hooks/${i}`,
        secret: secrets[i],
      })),
    );
    log(
      `api on :${port} (${processes.API_PROCESSES} processes), worker started (${processes.WORKER_PROCESSES}), ` +
        `${fixtures.length} agencies with ${orderIds.length} orders and webhooks`,
    );

    // --- submissions and the fault schedule, concurrently --------------------------------------------------
    const tally: Tally = {
      submitted: 0,
      attempts: 0,
      accepted: 0,
      codes: new Set(),
      byStatus: new Map(),
      samples: [],
      acceptedWhileRedisDown: 0,
      attemptsWhileRedisDown: 0,
      replaysChecked: 0,
      replayMismatches: 0,
      latencyUp: [],
      latencyDown: [],
    };
    let redisDown = false;
    const faults: string[] = [];
    const t0 = Date.now();
    const spacing = SUBMIT_MS / TOTAL_REQUESTS;
    const url = `${base}/consultations`;

    const record = (
      result: { status: number; code?: string; detail?: string; ms: number },
      sentWhileDown: boolean,
    ) => {
      tally.attempts++;
      const down = sentWhileDown || redisDown;
      (down ? tally.latencyDown : tally.latencyUp).push(result.ms);
      if (down) tally.attemptsWhileRedisDown++;
      if (result.status === 202 && result.code) {
        tally.accepted++;
        tally.codes.add(result.code);
        if (down) tally.acceptedWhileRedisDown++;
        return;
      }
      const label = result.status === 0 ? 'network error' : String(result.status);
      tally.byStatus.set(label, (tally.byStatus.get(label) ?? 0) + 1);
      if (tally.samples.length < 5) tally.samples.push(`${label}: ${result.detail ?? ''}`);
    };

    let next = 0;
    const submitter = async () => {
      for (;;) {
        const serial = next++;
        if (serial >= TOTAL_REQUESTS) return;
        const wait = t0 + serial * spacing - Date.now();
        if (wait > 0) await sleep(wait);
        const body = consultationBody(orderIds, serial);
        const key =
          serial % IDEMPOTENT_EVERY === 0 ? `fault-${serial}-${randomBytes(4).toString('hex')}` : undefined;
        tally.submitted++;
        let down = redisDown;
        const first = await post(url, body, key);
        record(first, down);
        if (key) {
          down = redisDown;
          const again = await post(url, body, key);
          record(again, down);
          if (first.status === 202 && again.status === 202) {
            tally.replaysChecked++;
            if (first.code !== again.code) tally.replayMismatches++;
          }
        }
      }
    };

    const at = async (seconds: number) => {
      const wait = t0 + seconds * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
    };
    const note = (what: string) => {
      faults.push(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
      log(what);
    };
    const killOneWorkerProcess = async (why: string) => {
      if (!(await worker!.killOne())) return killWorker(why);
      note(`one worker process SIGKILLed (${why}); its primary starts another`);
    };
    const killWorker = async (why: string) => {
      await worker!.kill();
      note(`worker SIGKILLed (${why})`);
      await sleep(1000);
      worker!.start();
      note('worker restarted');
    };
    // Every 5 s: what Postgres and the queues hold, to see where the pipeline waits.
    const probe = new Redis(FAULT_REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    probe.on('error', () => undefined);
    await probe.connect();
    const key = (queue: string, list: string) => `${prefix}:bull:${queue}:${list}`;
    const schedules = () => probe.zcard(key('maintenance', 'repeat')).catch(() => -1);
    let maxStaleIntakeJobs = 0;
    const snapshot = async () => {
      const [row]: { received: number; outbox: number; open: number }[] = await dataSource!.query(
        `SELECT (SELECT count(*) FROM consultation_requests WHERE status = 'received')::int AS received,
                (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL)::int AS outbox,
                (SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL)::int AS open`,
      );
      let queues = 'Redis unreachable';
      try {
        const [waiting, intakeActive, notifyWait, notifyDelayed, schedulers] = await Promise.all([
          probe.lrange(key('consultation-intake', 'wait'), 0, -1),
          probe.llen(key('consultation-intake', 'active')),
          probe.llen(key('agency-notifications', 'wait')),
          probe.zcard(key('agency-notifications', 'delayed')),
          probe.zcard(key('maintenance', 'repeat')),
        ]);
        // Waiting intake jobs whose request is already settled: work the worker will do for nothing.
        const ids = waiting.map((id) => id.replace(/^intake-/, ''));
        const [{ stale }]: { stale: number }[] = await dataSource!.query(
          `SELECT count(*)::int AS stale FROM consultation_requests WHERE id = ANY($1::uuid[]) AND status <> 'received'`,
          [ids],
        );
        maxStaleIntakeJobs = Math.max(maxStaleIntakeJobs, stale);
        queues =
          `intake wait ${waiting.length} (already settled ${stale}) active ${intakeActive}, ` +
          `notify wait ${notifyWait} delayed ${notifyDelayed}, maintenance schedules ${schedulers}`;
      } catch {
        // Redis is down
      }
      return `202s ${tally.accepted}, received ${row.received}, outbox pending ${row.outbox}, deliveries open ${row.open}; ${queues}`;
    };

    // The faults. By default no worker restarts after the FLUSHALL: the pipeline has to recover by itself.
    const restartAfterFlush = process.env.FAULT_RESTART_AFTER_FLUSH === '1';
    const schedule = async () => {
      const scale = SUBMIT_MS / 100_000;
      await at(8 * scale);
      await killOneWorkerProcess('1');
      await at(20 * scale);
      redisDown = true;
      await stopRedis();
      note('Redis stopped (shutdown nosave)');
      await at(20 * scale + REDIS_DOWN_MS / 2000);
      await killWorker('2, while Redis is down');
      await at(20 * scale + REDIS_DOWN_MS / 1000);
      await startRedis();
      redisDown = false;
      note('Redis started again, empty');
      await at(20 * scale + REDIS_DOWN_MS / 1000 + 6);
      await killWorker('3, while it catches up');
      await at(20 * scale + REDIS_DOWN_MS / 1000 + 14);
      const waiting = await probe.llen(key('consultation-intake', 'wait')).catch(() => -1);
      await redisCli('flushall');
      note(`Redis FLUSHALL (intake jobs waiting just before: ${waiting})`);
      await sleep(2000);
      note(
        `maintenance job schedulers (the reconciler's among them) 2 s after FLUSHALL: ${await schedules()}`,
      );
      if (restartAfterFlush) {
        await at(88 * scale);
        await killWorker('4, FAULT_RESTART_AFTER_FLUSH=1');
      }
    };

    let monitoring = true;
    const monitor = (async () => {
      while (monitoring) {
        await sleep(5000);
        if (monitoring) log(await snapshot().catch((error: unknown) => `snapshot failed: ${String(error)}`));
      }
    })();

    log(`submitting ${TOTAL_REQUESTS} requests over ${SUBMIT_MS / 1000} s, ${IN_FLIGHT} in flight`);
    await Promise.all([schedule(), ...Array.from({ length: IN_FLIGHT }, submitter)]);
    const submitSeconds = (Date.now() - t0) / 1000;
    log(`submissions done in ${submitSeconds.toFixed(1)} s: ${tally.accepted} answers 202`);

    // --- wait for the pipeline to settle -----------------------------------------------------------------
    const drainStart = Date.now();
    const settled = async () => {
      const [row]: { open: number }[] = await dataSource!.query(
        `SELECT (SELECT count(*) FROM consultation_requests WHERE status NOT IN ('assigned', 'rejected'))::int +
                (SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL)::int AS open`,
      );
      return row.open === 0;
    };
    while (!(await settled())) {
      if (Date.now() - drainStart > DRAIN_DEADLINE_MS) {
        log(`gave up waiting after ${DRAIN_DEADLINE_MS / 1000} s: ${await snapshot()}`);
        break;
      }
      await sleep(1000);
    }
    const drainSeconds = (Date.now() - drainStart) / 1000;
    monitoring = false;
    await monitor;
    probe.disconnect();
    await sleep(1000); // lets a delivery already on the wire reach the receiver
    log(`pipeline settled ${drainSeconds.toFixed(1)} s after the last submission`);

    // --- checks ------------------------------------------------------------------------------------------
    const codes = [...tally.codes];
    const [stored]: { found: number }[] = await dataSource.query(
      `SELECT count(*)::int AS found FROM consultation_requests WHERE tracking_code = ANY($1::text[])`,
      [codes],
    );
    const [db]: {
      rows: number;
      notFinal: number;
      assigned: number;
      rejected: number;
      duplicates: number;
      assignedWithoutDelivery: number;
      undelivered: number;
      deliveryRows: number;
      deliveryAttempts: number;
      outboxPending: number;
    }[] = await dataSource.query(
      `SELECT
         (SELECT count(*) FROM consultation_requests)::int AS rows,
         (SELECT count(*) FROM consultation_requests WHERE status NOT IN ('assigned', 'rejected'))::int AS "notFinal",
         (SELECT count(*) FROM consultation_requests WHERE status = 'assigned')::int AS assigned,
         (SELECT count(*) FROM consultation_requests WHERE status = 'rejected')::int AS rejected,
         (SELECT count(*) FROM (SELECT 1 FROM consultation_requests GROUP BY phone_hash, job_order_id
            HAVING count(*) > 1) d)::int AS duplicates,
         (SELECT count(*) FROM consultation_requests r WHERE r.status = 'assigned'
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.request_id = r.id))::int AS "assignedWithoutDelivery",
         (SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL)::int AS undelivered,
         (SELECT count(*) FROM webhook_deliveries)::int AS "deliveryRows",
         (SELECT coalesce(sum(attempts), 0) FROM webhook_deliveries)::int AS "deliveryAttempts",
         (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL)::int AS "outboxPending"`,
    );
    const deliveries: { id: string; delivered: boolean }[] = await dataSource.query(
      `SELECT d.request_id::text AS id, d.delivered_at IS NOT NULL AS delivered
       FROM webhook_deliveries d JOIN consultation_requests r ON r.id = d.request_id WHERE r.status = 'assigned'`,
    );
    const seen = (id: string) => receiver!.perDelivery.has(id);
    const deliveredButUnseen = deliveries.filter(({ id, delivered }) => delivered && !seen(id)).length;
    const assignedButUnseen = deliveries.filter(({ id }) => !seen(id)).length;
    const dbIds = new Set(deliveries.map(({ id }) => id));
    const unknownAtReceiver = [...receiver.perDelivery.keys()].filter((id) => !dbIds.has(id)).length;
    const repeated = [...receiver.perDelivery.values()].filter((n) => n > 1);

    console.log('\nFaults');
    for (const fault of faults) console.log(`  ${fault}`);
    console.log(`  unexpected worker exits (restarted by the bench): ${worker.unexpectedExits}`);
    if (tally.samples.length) console.log('\nSample non-202 answers\n  ' + tally.samples.join('\n  '));

    const nonAccepted = [...tally.byStatus].map(([status, n]) => `${status}×${n}`).join(', ') || 'none';
    console.log('\nCounts');
    console.table([
      { measure: 'requests submitted (distinct bodies)', value: tally.submitted },
      { measure: 'HTTP attempts (incl. idempotent retries)', value: tally.attempts },
      { measure: 'answers 202', value: tally.accepted },
      { measure: 'answers not 202, by status', value: nonAccepted },
      { measure: 'attempts while Redis was down', value: tally.attemptsWhileRedisDown },
      { measure: '202s while Redis was down', value: tally.acceptedWhileRedisDown },
      {
        measure: 'POST latency ms p50 / p99 / max, Redis up',
        value: `${percentile(tally.latencyUp, 50)} / ${percentile(tally.latencyUp, 99)} / ${percentile(tally.latencyUp, 100)}`,
      },
      {
        measure: 'POST latency ms p50 / p99 / max, Redis down',
        value: `${percentile(tally.latencyDown, 50)} / ${percentile(tally.latencyDown, 99)} / ${percentile(tally.latencyDown, 100)}`,
      },
      { measure: 'distinct tracking codes', value: codes.length },
      { measure: 'idempotent replays checked', value: tally.replaysChecked },
      { measure: 'requests in Postgres', value: db.rows },
      { measure: 'requests assigned', value: db.assigned },
      { measure: 'requests rejected', value: db.rejected },
      { measure: 'webhook delivery rows', value: db.deliveryRows },
      { measure: 'webhook POST attempts recorded', value: db.deliveryAttempts },
      { measure: 'receiver: deliveries total', value: receiver.total },
      { measure: 'receiver: distinct delivery ids', value: receiver.perDelivery.size },
      { measure: 'receiver: requests delivered more than once', value: repeated.length },
      { measure: 'receiver: extra copies', value: repeated.reduce((sum, n) => sum + n - 1, 0) },
      {
        measure: 'most waiting intake jobs for already-settled requests (redundant work)',
        value: maxStaleIntakeJobs,
      },
      { measure: 'submission seconds', value: Number(submitSeconds.toFixed(1)) },
      { measure: 'seconds to settle after submissions', value: Number(drainSeconds.toFixed(1)) },
    ]);

    const checks: { check: string; value: number }[] = [
      { check: 'tracking codes missing from Postgres', value: codes.length - stored.found },
      { check: 'requests not in a final status', value: db.notFinal },
      { check: 'duplicate requests per (phone_hash, job_order_id)', value: db.duplicates },
      { check: 'assigned requests without a delivery row', value: db.assignedWithoutDelivery },
      { check: 'delivery rows not delivered', value: db.undelivered },
      { check: 'delivered rows never seen by the receiver', value: deliveredButUnseen },
      { check: 'assigned requests the receiver never saw', value: assignedButUnseen },
      { check: 'receiver ids that are not assigned requests', value: unknownAtReceiver },
      { check: 'bad signatures', value: receiver.badSignatures },
      { check: 'bodies not matching X-Delivery-Id', value: receiver.badBodies },
      { check: 'idempotent replays with another code', value: tally.replayMismatches },
    ];
    console.log('\nChecks (each must be 0)');
    console.table(checks.map(({ check, value }) => ({ check, value, result: value === 0 ? 'ok' : 'FAIL' })));
    console.log(
      `Outbox rows still undispatched: ${db.outboxPending} (informational: the reconciler may have re-driven them).`,
    );
    console.log(
      `Webhook copies beyond the first: ${repeated.reduce((sum, n) => sum + n - 1, 0)} (a worker killed between ` +
        `the agency's 2xx and recording it sends again, with the same X-Delivery-Id for the agency to drop).`,
    );
    const failed = checks.filter(({ value }) => value !== 0);
    if (failed.length) {
      console.error(`FAILED: ${failed.map(({ check }) => check).join('; ')}`);
      process.exitCode = 1;
    } else {
      console.log('All must-be-0 checks passed.');
    }
  } finally {
    await cleanup();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
