/**
 * The built api and worker (dist/, as `npm run build` leaves it and production runs it; XKLD_DIST points at
 * another build, as for test/processes.e2e-spec.ts) as child processes against this file's database: SIGTERM during a burst of
 * POST /consultations, SIGTERM to a worker with work queued, and the worker's Redis eviction-policy check
 * against Redis servers of its own. CI builds before it tests; locally, build first, or this file tests an
 * older build.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';
import { Client } from 'pg';

import { createAgency, createJobOrder } from './helpers/factories';
import { databaseUrl, TEMPLATE_DATABASE, TEST_REDIS_URL, TEST_SERVER_URL, testEnv } from './helpers/env';

const ROOT = join(__dirname, '..');
const DIST = process.env.XKLD_DIST ?? join(ROOT, 'dist');
const API = 'apps/api/src/main.js';
const WORKER = 'apps/worker/src/main.js';
const YEAR = new Date().getUTCFullYear();
const API_GRACE_SECONDS = 10;
const WORKER_GRACE_SECONDS = 30;
/**
 * The burst: IN_FLIGHT clients send until the api has exited (at most BURST requests), and the api gets its
 * SIGTERM once SIGTERM_AFTER answers have come.
 */
const BURST = 5000;
const IN_FLIGHT = 16;
const SIGTERM_AFTER = 150;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${TEST_SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A child running a script of the build, with its log lines (pino JSON on stdout) kept. */
class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  private output = '';

  constructor(script: string, env: NodeJS.ProcessEnv) {
    this.process = spawn(
      process.execPath,
      ['-r', join(ROOT, 'scripts', 'register-dist-paths.js'), join(DIST, script)],
      {
        // Not the repository: its .env (npm start's) must not reach the children.
        cwd: mkdtempSync(join(tmpdir(), 'xkld-child-')),
        env: {
          PATH: process.env.PATH,
          ...env,
          // The @app/* aliases resolved inside the build, and its dependencies from the repository's
          // node_modules even when the build is elsewhere.
          XKLD_DIST: DIST,
          NODE_PATH: join(ROOT, 'node_modules'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.process.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.process.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.process.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** The log lines, parsed; lines that are not JSON (console.log) as `{ text }`. */
  lines(): Record<string, unknown>[] {
    return this.output
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return { text: line };
        }
      });
  }

  text(): string {
    return this.output;
  }

  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.running) throw new Error(`exited before ${pattern}:\n${this.output.slice(-3000)}`);
      if (Date.now() > deadline)
        throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
      await sleep(50);
    }
  }

  kill(): Promise<unknown> {
    if (!this.running) return Promise.resolve();
    this.process.kill('SIGKILL');
    return this.exited;
  }
}

/** One POST /consultations as a client saw it. */
interface Attempt {
  serial: number;
  startedAt: number;
  endedAt: number;
  status: number;
  trackingCode?: string;
  /** The network error (ECONNREFUSED, ECONNRESET, …) when no answer came. */
  error?: string;
}

/** A Redis of the test's own on a free port, with `args` (e.g. another eviction policy). */
async function startRedis(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    const up = await probe
      .connect()
      .then(() => probe.ping())
      .then(
        () => true,
        () => false,
      );
    probe.disconnect();
    if (up) break;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await sleep(100);
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  };
}

describe('graceful shutdown and start-up checks of the built processes', () => {
  const database = `xkld_test_${randomBytes(6).toString('hex')}`;
  const prefix = `test-${database}`;
  let env: NodeJS.ProcessEnv;
  let db: Client;
  let orders: string[];
  const children: Child[] = [];
  const start = (script: string, extra: NodeJS.ProcessEnv = {}) => {
    const child = new Child(script, { ...env, ...extra });
    children.push(child);
    return child;
  };
  const count = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ n: number }>(sql, params)).rows[0].n;

  beforeAll(async () => {
    if (!existsSync(join(DIST, API)) || !existsSync(join(DIST, WORKER))) {
      throw new Error(`no build in ${DIST}: run npm run build first`);
    }
    await admin(`CREATE DATABASE ${database} TEMPLATE ${TEMPLATE_DATABASE}`);
    db = new Client({ connectionString: databaseUrl(database) });
    await db.connect();
    const agency = await createAgency(db);
    orders = [];
    for (let i = 0; i < 4; i++) {
      orders.push(
        await createJobOrder(db, { agencyId: agency, birthYearFrom: 1960, birthYearTo: YEAR - 18 }),
      );
    }
    env = {
      ...testEnv(database, prefix),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      API_SHUTDOWN_GRACE_SECONDS: String(API_GRACE_SECONDS),
      WORKER_SHUTDOWN_GRACE_SECONDS: String(WORKER_GRACE_SECONDS),
    };
  });

  afterAll(async () => {
    await Promise.all(children.map((child) => child.kill()));
    await db?.end();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  describe('SIGTERM during a burst of POST /consultations, then to a worker with work queued', () => {
    const attempts: Attempt[] = [];
    let sigtermAt = 0;
    let apiExit: { code: number | null; signal: NodeJS.Signals | null; at: number };
    let api: Child;

    /** Sends the burst from IN_FLIGHT clients; SIGTERMs the api once SIGTERM_AFTER answers have come. */
    const burst = async (base: string) => {
      let next = 0;
      let exited = false;
      void api.exited.then(() => (exited = true));
      const client = async () => {
        while (!exited && next < BURST) {
          const serial = next++;
          const startedAt = Date.now();
          const attempt: Attempt = { serial, startedAt, endedAt: 0, status: 0 };
          try {
            const response = await fetch(`${base}/api/v1/consultations`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                jobOrderId: orders[serial % orders.length],
                fullName: `Nguyễn Văn Dừng ${serial}`,
                phone: `09${String(40_000_000 + serial).padStart(8, '0')}`,
                province: 'Nghệ An',
                birthYear: 1990 + (serial % 15),
                consent: true,
              }),
              signal: AbortSignal.timeout(20_000),
            });
            attempt.status = response.status;
            const text = await response.text();
            if (response.status === 202)
              attempt.trackingCode = (JSON.parse(text) as { trackingCode: string }).trackingCode;
          } catch (error) {
            const cause = (error as { cause?: { code?: string } }).cause;
            attempt.error = cause?.code ?? (error instanceof Error ? error.message : String(error));
          }
          attempt.endedAt = Date.now();
          attempts.push(attempt);
          if (!sigtermAt && attempts.length >= SIGTERM_AFTER) {
            sigtermAt = Date.now();
            api.process.kill('SIGTERM');
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, client));
    };

    it('the api stops accepting, answers what is in flight, exits 0, and every request it stored was answered 202', async () => {
      api = start(API);
      await api.waitForOutput(/xkld listening/, 30_000);
      await burst(`http://127.0.0.1:${env.PORT}`);
      apiExit = await api.exited;

      const accepted = attempts.filter((a) => a.status === 202);
      const stored = await db.query<{ tracking_code: string }>(
        `SELECT tracking_code FROM consultation_requests`,
      );
      const storedCodes = new Set(stored.rows.map((row) => row.tracking_code));
      const acceptedCodes = new Set(accepted.map((a) => a.trackingCode));
      const failures = new Map<string, number>();
      for (const a of attempts.filter((a) => a.status !== 202)) {
        const key = a.error ?? `HTTP ${a.status}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
      const summary = {
        accepted: accepted.length,
        stored: storedCodes.size,
        failures: Object.fromEntries(failures),
      };

      // The burst straddled the SIGTERM: requests were answered before it, and later ones were refused before
      // the api exited (its listener closed first).
      expect(accepted.length).toBeGreaterThanOrEqual(SIGTERM_AFTER - IN_FLIGHT);
      expect(accepted.length).toBeLessThan(BURST);
      expect((failures.get('ECONNREFUSED') ?? 0) + (failures.get('HTTP 503') ?? 0)).toBeGreaterThan(0);
      // Nothing lost: every 202 is stored, and nothing is stored that its client did not see answered 202 (a
      // connection cut after the commit would leave a stored request whose client saw a reset).
      expect([...acceptedCodes].filter((code) => !storedCodes.has(code!))).toEqual([]);
      expect({
        ...summary,
        storedWithout202: [...storedCodes].filter((code) => !acceptedCodes.has(code)),
      }).toEqual({
        ...summary,
        storedWithout202: [],
      });
      // The only other answers: the listener gone (refused), or a 503 with `Connection: close` for a request
      // that came on a kept-alive connection while closing; a reset is only allowed for a request never stored.
      for (const key of failures.keys())
        expect(key).toMatch(/^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|HTTP 503)$/);

      // It drained: the api logged requests it answered 202 after it began to stop, then stopped with 0.
      const lines = api.lines();
      const stopping = lines.findIndex((line) => line.msg === 'api stopping');
      expect(stopping).toBeGreaterThanOrEqual(0);
      const answeredWhileStopping = lines
        .slice(stopping)
        .filter(
          (line) =>
            line.msg === 'request completed' &&
            line.path === '/api/v1/consultations' &&
            line.statusCode === 202,
        );
      expect(answeredWhileStopping.length).toBeGreaterThan(0);
      expect(lines.slice(stopping).some((line) => line.msg === 'api stopped' && line.code === 0)).toBe(true);
      expect(apiExit).toMatchObject({ code: 0, signal: null });
      expect(apiExit.at - sigtermAt).toBeLessThan(API_GRACE_SECONDS * 1000);
      // Nothing was stored after the api had gone.
      expect(await count(`SELECT count(*)::int AS n FROM consultation_requests`)).toBe(storedCodes.size);
    }, 120_000);

    it('a worker stops taking jobs on SIGTERM, finishes the running ones and exits 0; the next one settles the rest once', async () => {
      const accepted = attempts.filter((a) => a.status === 202).length;
      expect(accepted).toBeGreaterThan(0);
      const assigned = () =>
        count(`SELECT count(*)::int AS n FROM consultation_requests WHERE status = 'assigned'`);
      const activeIntake = async () => {
        const redis = new Redis(TEST_REDIS_URL);
        try {
          return await redis.llen(`${prefix}:bull:consultation-intake:active`);
        } finally {
          redis.disconnect();
        }
      };

      const first = start(WORKER);
      // SIGTERM as soon as it is settling requests (and listens for the signal), with most of the backlog
      // still ahead of it.
      await first.waitForOutput(/xkld worker running/, 30_000);
      const deadline = Date.now() + 60_000;
      let assignedAtSigterm = 0;
      while ((assignedAtSigterm = await assigned()) === 0) {
        if (!first.running || Date.now() > deadline)
          throw new Error(`worker settled nothing:\n${first.text().slice(-3000)}`);
        await sleep(20);
      }
      const signalledAt = Date.now();
      first.process.kill('SIGTERM');
      const exit = await first.exited;
      const assignedAfterExit = await assigned();

      expect(assignedAtSigterm).toBeLessThan(accepted);
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.at - signalledAt).toBeLessThan(WORKER_GRACE_SECONDS * 1000);
      const lines = first.lines();
      const stopping = lines.findIndex((line) => line.msg === 'worker stopping');
      expect(stopping).toBeGreaterThanOrEqual(0);
      expect(lines.slice(stopping).some((line) => line.msg === 'worker stopped' && line.code === 0)).toBe(
        true,
      );
      // No job was left half done: a worker that died or was closed by force leaves its jobs in `active`.
      expect(await activeIntake()).toBe(0);
      // It stopped taking jobs: the backlog waits for the next worker.
      expect(assignedAfterExit).toBeLessThan(accepted);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM consultation_requests WHERE status NOT IN ('received', 'assigned')`,
        ),
      ).toBe(0);

      const second = start(WORKER);
      const settled = Date.now() + 90_000;
      while ((await assigned()) < accepted) {
        if (!second.running || Date.now() > settled) {
          throw new Error(`not every request was assigned:\n${second.text().slice(-3000)}`);
        }
        await sleep(100);
      }
      // Every request is assigned exactly once: one 'assigned' event and one delivery row each at most.
      expect(
        await count(`SELECT count(*)::int AS n FROM consultation_requests WHERE status <> 'assigned'`),
      ).toBe(0);
      expect(
        await count(`SELECT count(*)::int AS n FROM consultation_events WHERE status = 'assigned'`),
      ).toBe(accepted);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM (SELECT request_id FROM webhook_deliveries GROUP BY request_id HAVING count(*) > 1) d`,
        ),
      ).toBe(0);
      second.process.kill('SIGTERM');
      expect(await second.exited).toMatchObject({ code: 0, signal: null });
    }, 180_000);
  });

  describe("the worker's check of Redis maxmemory-policy", () => {
    it('refuses to start when Redis may evict keys, naming the fix, and starts once it is noeviction', async () => {
      const redis = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
      try {
        const refused = start(WORKER, { REDIS_URL: redis.url });
        const exit = await refused.exited;
        expect(exit.code).toBe(1);
        const fatal = refused.lines().find((line) => line.level === 60);
        expect(fatal).toMatchObject({ maxmemoryPolicy: 'allkeys-lru' });
        expect(fatal?.msg).toContain('maxmemory-policy is "allkeys-lru"');
        expect(fatal?.msg).toContain('CONFIG SET maxmemory-policy noeviction');
        expect(fatal?.msg).toContain('maxmemory-policy noeviction` in redis.conf');
        expect(refused.text()).not.toContain('xkld worker running');

        const client = new Redis(redis.url);
        await client.config('SET', 'maxmemory-policy', 'noeviction');
        client.disconnect();
        const started = start(WORKER, { REDIS_URL: redis.url });
        await started.waitForOutput(/xkld worker running/, 30_000);
        started.process.kill('SIGTERM');
        expect(await started.exited).toMatchObject({ code: 0 });
      } finally {
        await redis.stop();
      }
    }, 90_000);

    it('starts with a warning when Redis will not answer CONFIG (as managed services do)', async () => {
      const redis = await startRedis(['--rename-command', 'CONFIG', '""']);
      try {
        const worker = start(WORKER, { REDIS_URL: redis.url });
        await worker.waitForOutput(/xkld worker running/, 30_000);
        const warning = worker
          .lines()
          .find((line) => typeof line.msg === 'string' && line.msg.startsWith('Redis refused CONFIG GET'));
        expect(warning).toMatchObject({ level: 40 });
        expect(warning?.msg).toContain('noeviction');
        worker.process.kill('SIGTERM');
        expect(await worker.exited).toMatchObject({ code: 0 });
      } finally {
        await redis.stop();
      }
    }, 90_000);
  });
});
