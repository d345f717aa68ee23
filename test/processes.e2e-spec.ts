import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';

import Redis from 'ioredis';

import { RankingJob } from '@app/ranking';

import { TestContext } from './helpers/context';
import { TEST_REDIS_URL } from './helpers/env';
import { createAgency, createJobOrder } from './helpers/factories';

/**
 * The built api and worker as several processes (API_PROCESSES, WORKER_PROCESSES; node:cluster), against
 * this file's database and Redis prefix. It runs what `npm run build` wrote to dist/ (.ci/run builds before
 * the tests), or the build at XKLD_DIST.
 *
 * Which process answered a request is read from the api's request log: every line carries the pid of the
 * process that wrote it and the request's X-Request-Id. Each request goes on a connection of its own, which
 * the cluster's primary hands to its children in turn.
 */
const ROOT = join(__dirname, '..');
const DIST = process.env.XKLD_DIST ?? join(ROOT, 'dist');
const YEAR = new Date().getUTCFullYear();

interface Answer {
  status: number;
  body: Record<string, unknown>;
  requestId: string;
}

/** A service started from dist/, its output kept as log lines. */
class Service {
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(main: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(
      process.execPath,
      ['-r', join(ROOT, 'scripts', 'register-dist-paths.js'), join(DIST, main)],
      { cwd: ROOT, env: { ...env, XKLD_DIST: DIST }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let rest = '';
    const collect = (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      this.lines.push(...lines);
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The pid of each process that logged a completed request, by request id. */
  servedBy(): Map<string, number> {
    const served = new Map<string, number>();
    for (const line of this.lines) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as { msg?: string; reqId?: string; pid?: number };
        if (entry.msg === 'request completed' && entry.reqId && entry.pid) served.set(entry.reqId, entry.pid);
      } catch {
        // not a log line
      }
    }
    return served;
  }

  /** Which process answered each of `answers`, once their log lines have arrived. */
  async answeredBy(answers: Answer[]): Promise<Set<number>> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const served = this.servedBy();
      const pids = answers.map((answer) => served.get(answer.requestId));
      const known = pids.filter((pid): pid is number => pid !== undefined);
      if (known.length === pids.length) return new Set(known);
      if (Date.now() > deadline) throw new Error('requests missing from the api log');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  count(pattern: RegExp): number {
    return this.lines.filter((line) => pattern.test(line)).length;
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
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

/** One request on a connection of its own (no keep-alive: the cluster hands out connections, not requests). */
function send(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const requestId = randomUUID();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          'x-request-id': requestId,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, requestId });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const consultation = (jobOrderId: string, phone: string) => ({
  jobOrderId,
  fullName: 'Nguyễn Văn Tiến Trình',
  phone,
  province: 'Nghệ An',
  birthYear: YEAR - 25,
  consent: true,
});

describe('several processes (API_PROCESSES, WORKER_PROCESSES)', () => {
  const PER_PHONE = 6;
  let ctx: TestContext;
  let api: Service;
  let port: number;
  const until = (condition: () => boolean, timeoutMs: number, what: string) =>
    ctx.waitFor(() => Promise.resolve(condition() || undefined), timeoutMs, what);

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'apps', 'api', 'src', 'main.js'))) {
      throw new Error(`No build at ${DIST}: run npm run build (or set XKLD_DIST)`);
    }
    ctx = await TestContext.create({
      env: { RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR: String(PER_PHONE) },
    });
    port = await freePort();
    api = new Service('apps/api/src/main.js', {
      ...process.env,
      API_PROCESSES: '2',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    // Each child prints this line once it listens.
    await until(() => api.count(/xkld listening on/) >= 2, 60_000, 'two api processes to listen');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await ctx?.close();
  });

  it('shares one rate limit between the processes: N+1 requests from one phone, exactly one 429', async () => {
    const agency = await createAgency(ctx.db);
    const orders = await Promise.all(
      Array.from({ length: PER_PHONE + 1 }, (_, i) =>
        createJobOrder(ctx.db, { agencyId: agency, title: `Đơn giới hạn chung ${i}` }),
      ),
    );
    const phone = '0912345601';
    const answers = await Promise.all(
      orders.map((order) => send(port, 'POST', '/api/v1/consultations', consultation(order, phone))),
    );

    expect(answers.map((a) => a.status).sort()).toEqual([...Array(PER_PHONE).fill(202), 429]);
    expect(answers.find((a) => a.status === 429)!.body.code).toBe('RATE_LIMITED');
    expect((await api.answeredBy(answers)).size).toBe(2);
  });

  it('gives one request for one Idempotency-Key, whichever process answers', async () => {
    const agency = await createAgency(ctx.db);
    const order = await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn khóa một lần' });
    const body = consultation(order, '0912345602');
    const key = `processes-${randomUUID()}`;
    const send1 = () => send(port, 'POST', '/api/v1/consultations', body, { 'idempotency-key': key });

    // Copies count against the phone's limit like any request: five at once and one later stay within it.
    const answers = await Promise.all(Array.from({ length: PER_PHONE - 1 }, send1));
    // A copy that arrives while the first is being stored is told so (409) rather than stored twice.
    const accepted = answers.filter((a) => a.status === 202);
    expect(answers.filter((a) => a.status !== 202).map((a) => [a.status, a.body.code])).toEqual(
      answers.filter((a) => a.status !== 202).map(() => [409, 'CONFLICT']),
    );
    expect(accepted.length).toBeGreaterThan(0);
    const later = await send1();
    expect(later.status).toBe(202);
    const codes = new Set([...accepted, later].map((a) => a.body.trackingCode));
    expect(codes.size).toBe(1);
    const { rows } = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM consultation_requests WHERE job_order_id = $1',
      [order],
    );
    expect(rows[0].n).toBe(1);
    expect((await api.answeredBy([...answers, later])).size).toBe(2);
  });

  it('counts the views every process records, once each', async () => {
    const agency = await createAgency(ctx.db);
    const order = await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn đếm lượt xem' });
    const views = 10;
    const answers = await Promise.all(
      Array.from({ length: views }, () => send(port, 'GET', `/api/v1/job-orders/${order}`)),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect((await api.answeredBy(answers)).size).toBe(2);

    await ctx.startWorker();
    try {
      await ctx.waitFor(
        async () => {
          const { rows } = await ctx.db.query<{ views: number }>(
            'SELECT views::int AS views FROM job_orders WHERE id = $1',
            [order],
          );
          return rows[0].views === views ? true : undefined;
        },
        10_000,
        'the views to be written',
      );
    } finally {
      await ctx.stopWorker();
    }
  });

  it("answers /metrics with every process's requests added up, whichever process is asked", async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => send(port, 'GET', '/api/v1/job-orders?limit=2&country=JP')),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect((await api.answeredBy(answers)).size).toBe(2);

    const scrape = async () => {
      const answer = await new Promise<{ text: string; requestId: string }>((resolve, reject) => {
        const requestId = randomUUID();
        httpRequest(
          { host: '127.0.0.1', port, path: '/metrics', agent: false, headers: { 'x-request-id': requestId } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), requestId }));
          },
        )
          .on('error', reject)
          .end();
      });
      const count =
        /^xkld_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/job-orders",status="200"\} (\d+)$/m.exec(
          answer.text,
        );
      return { count: Number(count?.[1]), up: /^xkld_queue_metrics_up (\S+)$/m.exec(answer.text)?.[1] };
    };
    // Two scrapes on two connections: one process each (the round robin), the same totals.
    const [first, second] = [await scrape(), await scrape()];
    expect(first.count).toBe(10);
    expect(second.count).toBe(first.count);
    // Read from Redis by each process, counted once rather than once per process.
    expect(first.up).toBe('1');
  });

  it('starts a dead process again, and stops all of them on SIGTERM', async () => {
    const before = new Set(api.servedBy().values());
    const [victim] = before;
    process.kill(victim, 'SIGKILL');
    await until(
      () => api.count(new RegExp(`process ${victim} died`)) > 0,
      10_000,
      'the primary to see the death',
    );
    await until(() => api.count(/xkld listening on/) >= 3, 30_000, 'another process to listen');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => send(port, 'GET', '/api/v1/job-orders?limit=1')),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const pids = await api.answeredBy(answers);
    expect(pids.size).toBe(2);
    expect(pids.has(victim)).toBe(false);

    expect(await api.stop()).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('runs each scheduled job once however many worker processes run', async () => {
    // Slots from here on only: the in-process worker of the view test ran the schedules too.
    const since = Date.now();
    const worker = new Service('apps/worker/src/main.js', {
      ...process.env,
      WORKER_PROCESSES: '2',
      LOG_LEVEL: 'info',
    });
    const redis = new Redis(TEST_REDIS_URL, { keyPrefix: `${ctx.redisPrefix}:bull:ranking:` });
    try {
      await until(() => worker.count(/xkld worker running/) >= 2, 60_000, 'two worker processes');
      await new Promise((resolve) => setTimeout(resolve, 6000));
      // The fold's scheduler adds one job per 500 ms slot, named by the slot: a second scheduler in the
      // other process would add jobs of slots in between, or the same slot twice.
      const ids = await redis.zrange('completed', 0, -1);
      const slots = ids
        .map((id) => new RegExp(`^repeat:${RankingJob.Fold}:(\\d+)$`).exec(id)?.[1])
        .filter((slot): slot is string => !!slot)
        .map(Number)
        .filter((slot) => slot >= since)
        .sort((a, b) => a - b);
      expect(slots.length).toBeGreaterThanOrEqual(6);
      expect(slots.length).toBeLessThanOrEqual(Math.ceil((Date.now() - since) / 500) + 1);
      const gaps = slots.slice(1).map((slot, i) => slot - slots[i]);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
      expect(new Set(slots).size).toBe(slots.length);
    } finally {
      redis.disconnect();
      expect(await worker.stop()).toBe(0);
    }
  }, 90_000);
});
