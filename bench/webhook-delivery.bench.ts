/**
 * Webhook delivery after an outage (`npm run bench:delivery`; bench/webhook-delivery.md).
 *
 * A fresh database; agency A, whose webhook (a local receiver) answers 503 and then recovers, and agency B,
 * whose receiver is healthy throughout; the api and a worker as child processes. 24,000 leads for A are
 * submitted through POST /consultations while A's receiver fails; the worker assigns each (its delivery row
 * is written with the assignment) and they pile up behind A's open circuit. The receiver recovers 45 s
 * after the outage began, or once every lead is assigned if that takes longer. Measured: how long after the
 * recovery the last of A's leads is acknowledged, with none lost and none acknowledged twice; B's leads
 * (one every 200 ms) from the 202 to its receiver, and the api's POST /consultations latency, during the
 * drain. The baseline, in the same run and against the same receiver: a bare undici loop POSTing 24,000
 * signed bodies of the same size with as many in flight as the worker allows one agency
 * (WEBHOOK_CONCURRENCY_PER_AGENCY, 16).
 *
 * Everything runs on 127.0.0.1 and ends by DRAIN_DEADLINE_MS; exits non-zero when a must-be-0 check fails or
 * the drain takes longer than 30 s.
 */
import { ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

import { DataSource } from 'typeorm';
import { Pool } from 'undici';

import { deleteKeys, migratedDatabase, startNode, stop, waitForHttp } from './common';
import {
  alive,
  consultationBody,
  createFixtures,
  dropDatabase,
  freePort,
  setWebhooks,
  webhookBenchEnv,
} from './consultations-fault';

const LEADS = Number(process.env.DELIVERY_LEADS ?? 24_000);
const RECOVER_AFTER_MS = Number(process.env.DELIVERY_RECOVER_AFTER_SECONDS ?? 45) * 1000;
const TARGET_DRAIN_MS = 30_000;
const DRAIN_DEADLINE_MS = 120_000;
const SETTLE_DEADLINE_MS = 600_000;
const SUBMIT_IN_FLIGHT = 32;
const PER_AGENCY = 16;
const BYSTANDER_EVERY_MS = 200;
const METRICS_TOKEN = randomBytes(16).toString('hex');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const log = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);

/** Agencies' endpoints: `/hooks/<agency>`; checks signatures and counts 2xx answers per X-Delivery-Id. */
class Receiver {
  failing = true;
  readonly acks = new Map<string, number>();
  readonly arrivals = new Map<string, number>();
  refused = 0;
  badSignatures = 0;
  firstAckAfterRecovery = 0;
  lastAck = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly secrets: Record<string, string>) {}

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const agency = String(req.url).split('/').pop()!;
        const id = String(req.headers['x-delivery-id']);
        if (agency === 'bare') {
          res.writeHead(200).end();
          return;
        }
        if (agency === 'a' && this.failing) {
          this.refused++;
          res.writeHead(503).end();
          return;
        }
        const body = Buffer.concat(chunks);
        const expected = `sha256=${createHmac('sha256', this.secrets[agency]).update(body).digest('hex')}`;
        if (req.headers['x-signature'] !== expected) this.badSignatures++;
        const now = Date.now();
        this.acks.set(id, (this.acks.get(id) ?? 0) + 1);
        if (!this.arrivals.has(id)) this.arrivals.set(id, now);
        if (agency === 'a') {
          this.firstAckAfterRecovery ||= now;
          this.lastAck = now;
        }
        res.writeHead(200).end();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

/** The bare baseline: a plain undici pool POSTing signed bodies like the worker's, 16 in flight. */
async function bareLoop(port: number, sample: string): Promise<{ ms: number; perSecond: number }> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: PER_AGENCY });
  let next = 0;
  const begin = performance.now();
  const lane = async () => {
    while (next < LEADS) {
      const id = `bare:${next++}`;
      const body = sample.replace('"deliveryId":"x"', `"deliveryId":"${id}"`);
      const signature = `sha256=${createHmac('sha256', 'bare secret').update(body).digest('hex')}`;
      const { statusCode, body: answer } = await pool.request({
        origin: `http://127.0.0.1:${port}`,
        path: '/hooks/bare',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': signature, 'x-delivery-id': id },
        body,
      });
      await answer.dump();
      if (statusCode !== 200) throw new Error(`bare POST answered ${statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: PER_AGENCY }, lane));
  const ms = performance.now() - begin;
  await pool.close();
  return { ms: Math.round(ms), perSecond: Math.round((LEADS / ms) * 1000) };
}

async function main(): Promise<void> {
  const database = `xkld_delivery_${randomBytes(4).toString('hex')}`;
  let dataSource: DataSource | undefined;
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let receiver: Receiver | undefined;
  const cleanup = async () => {
    if (alive(worker)) await stop(worker);
    if (alive(api)) await stop(api);
    await receiver?.stop();
    await dataSource?.destroy().catch(() => undefined);
    await dropDatabase(database).catch((error: unknown) => console.error('could not drop', database, error));
    await deleteKeys(`bench-${database}`);
  };
  process.once('SIGINT', () => {
    console.error('interrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  });

  try {
    log(`creating ${database}`);
    dataSource = await migratedDatabase(database);
    const [a, b] = await createFixtures(dataSource, 2, 4);
    const secrets = {
      a: `bí mật A ${randomBytes(8).toString('hex')}`,
      b: `bí mật B ${randomBytes(8).toString('hex')}`,
    };
    receiver = new Receiver(secrets);
    const hookPort = await receiver.start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api/v1`;
    const env = webhookBenchEnv(database, port, { METRICS_TOKEN });
    api = startNode('apps/api/src/main.js', env);
    await waitForHttp(`${base}/health/live`);
    worker = startNode('apps/worker/src/main.js', env);
    await setWebhooks(base, [
      { admin: a.admin, url: `http://127.0.0.1:${hookPort}/hooks/a`, secret: secrets.a },
      { admin: b.admin, url: `http://127.0.0.1:${hookPort}/hooks/b`, secret: secrets.b },
    ]);
    const apiPool = new Pool(`http://127.0.0.1:${port}`, { connections: SUBMIT_IN_FLIGHT + 4 });
    const post = async (body: object): Promise<{ ms: number; code: string }> => {
      const begin = performance.now();
      const { statusCode, body: answer } = await apiPool.request({
        path: '/api/v1/consultations',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await answer.text();
      if (statusCode !== 202)
        throw new Error(`POST /consultations answered ${statusCode}: ${text.slice(0, 200)}`);
      return {
        ms: performance.now() - begin,
        code: (JSON.parse(text) as { trackingCode: string }).trackingCode,
      };
    };

    // --- the outage: A's receiver fails while its leads are submitted ---------------------------------------
    const outageStart = Date.now();
    receiver.failing = true;
    log(`A's receiver answers 503 for ${RECOVER_AFTER_MS / 1000} s; submitting ${LEADS} leads for A`);
    let submitted = 0;
    await Promise.all(
      Array.from({ length: SUBMIT_IN_FLIGHT }, async () => {
        while (submitted < LEADS) {
          const serial = submitted++;
          await post(consultationBody(a.orderIds, serial));
        }
      }),
    );
    const submitSeconds = (Date.now() - outageStart) / 1000;
    log(`${LEADS} accepted in ${submitSeconds.toFixed(1)} s (${Math.round(LEADS / submitSeconds)}/s)`);
    const pendingOf = async (): Promise<{ pending: number; total: number }> => {
      const [row]: { pending: number; total: number }[] = await dataSource!.query(
        `SELECT count(*) FILTER (WHERE delivered_at IS NULL)::int AS pending, count(*)::int AS total
         FROM webhook_deliveries WHERE agency_id = $1`,
        [a.agencyId],
      );
      return row;
    };
    // The worker settles them (assigns each, with its delivery row): the receiver recovers only once every
    // lead is queued for it, and not before RECOVER_AFTER_MS.
    while (Date.now() - outageStart < SETTLE_DEADLINE_MS) {
      const { total } = await pendingOf();
      if (total === LEADS) break;
      await sleep(500);
    }
    const assignedAt = (Date.now() - outageStart) / 1000;
    const queued = await pendingOf();
    log(`${queued.total} assigned with a delivery row ${assignedAt.toFixed(1)} s after the outage began`);
    if (queued.total !== LEADS) throw new Error(`only ${queued.total} of ${LEADS} leads were assigned`);

    // The bare baseline, against the same receiver, while A's circuit is open (the worker sends nothing).
    const sample = JSON.stringify({
      event: 'consultation.assigned',
      deliveryId: 'x',
      lead: {
        id: '00000000-0000-4000-8000-000000000000',
        jobOrderId: '00000000-0000-4000-8000-000000000000',
        fullName: 'Nguyễn Văn Thử 12345',
        phone: '+84912345678',
        province: 'Nghệ An',
        birthYear: 1990,
        gender: 'male',
        message: 'Tôi muốn được tư vấn về chi phí và thời gian xuất cảnh.',
        status: 'assigned',
        outcome: null,
        createdAt: new Date().toISOString(),
        assignedAt: new Date().toISOString(),
        firstContactedAt: null,
      },
    });
    const bare = await bareLoop(hookPort, sample);
    log(`bare undici loop: ${LEADS} POSTs in ${bare.ms} ms (${bare.perSecond}/s)`);

    const wait = RECOVER_AFTER_MS - (Date.now() - outageStart);
    if (wait > 0) await sleep(wait);
    const parked = await pendingOf();
    const refusedDuringOutage = receiver.refused;
    receiver.failing = false;
    const recoveredAt = Date.now();
    log(
      `A's receiver recovers; ${parked.pending} of A's deliveries waiting; ${refusedDuringOutage} refused so far`,
    );

    // --- the drain, with B's leads and api latency measured meanwhile --------------------------------------
    const bystander: { latency: number[]; api: number[] } = { latency: [], api: [] };
    const bystanderCodes: { code: string; sentAt: number }[] = [];
    let draining = true;
    let serialB = LEADS + 1_000_000;
    const bystanderLoop = (async () => {
      while (draining) {
        const sentAt = Date.now();
        const { ms, code } = await post(consultationBody(b.orderIds, serialB++));
        bystander.api.push(ms);
        bystanderCodes.push({ code, sentAt });
        await sleep(BYSTANDER_EVERY_MS);
      }
    })();
    const deadline = recoveredAt + DRAIN_DEADLINE_MS;
    while (Date.now() < deadline) {
      const { pending } = await pendingOf();
      if (pending === 0 && receiver.lastAck) break;
      await sleep(250);
    }
    draining = false;
    await bystanderLoop;
    const drainMs = receiver.lastAck ? receiver.lastAck - recoveredAt : Infinity;
    const closedAfterMs = receiver.firstAckAfterRecovery - recoveredAt;
    await sleep(2000); // B's last leads
    const codes = bystanderCodes.map(({ code }) => code);
    const idsB: { id: string; code: string }[] = await dataSource.query(
      `SELECT id, tracking_code AS code FROM consultation_requests WHERE tracking_code = ANY($1)`,
      [codes],
    );
    const sentAtOf = new Map(bystanderCodes.map(({ code, sentAt }) => [code, sentAt]));
    for (const { id, code } of idsB) {
      const arrived = receiver.arrivals.get(id);
      if (arrived) bystander.latency.push(arrived - sentAtOf.get(code)!);
    }

    // --- checks -----------------------------------------------------------------------------------------------
    const assignedA: { id: string }[] = await dataSource.query(
      `SELECT id FROM consultation_requests WHERE agency_id = $1 AND status = 'assigned'`,
      [a.agencyId],
    );
    const lost = assignedA.filter(({ id }) => !receiver!.acks.has(id)).length;
    const copies = [...receiver.acks.values()].reduce((sum, n) => sum + n - 1, 0);
    const undelivered = (await pendingOf()).pending;
    const metrics = await (
      await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).text();
    const series = (name: string) =>
      metrics
        .split('\n')
        .find((line) => line.startsWith(`${name} `))
        ?.split(' ')[1];
    await apiPool.close();

    console.log(
      `\nWebhook delivery of ${LEADS} leads after an outage of at least ${RECOVER_AFTER_MS / 1000} s`,
    );
    console.table([
      { measure: 'leads submitted for A (202)', value: LEADS },
      { measure: 'submission time, s', value: submitSeconds.toFixed(1) },
      { measure: 'A leads assigned (delivery rows)', value: queued.total },
      { measure: 'all assigned after, s', value: assignedAt.toFixed(1) },
      { measure: 'receiver recovered after, s', value: ((recoveredAt - outageStart) / 1000).toFixed(1) },
      { measure: 'A deliveries waiting at recovery', value: parked.pending },
      { measure: "503s A's receiver gave during the outage", value: refusedDuringOutage },
      { measure: 'first delivery after recovery, ms (probe interval 5 s)', value: closedAfterMs },
      { measure: 'last delivery after recovery, ms', value: drainMs },
      {
        measure: 'drain rate after the circuit closed, /s',
        value: Math.round((parked.pending / Math.max(1, drainMs - closedAfterMs)) * 1000),
      },
      { measure: `bare undici loop, ${LEADS} POSTs, ms`, value: bare.ms },
      { measure: 'bare undici loop, /s', value: bare.perSecond },
      { measure: "B's leads during the drain", value: bystander.latency.length },
      {
        measure: "B's leads 202 → receiver, p50 / p99 ms",
        value: `${percentile(bystander.latency, 50)} / ${percentile(bystander.latency, 99)}`,
      },
      {
        measure: 'POST /consultations during the drain, p50 / p99 ms',
        value: `${percentile(bystander.api, 50)} / ${percentile(bystander.api, 99)}`,
      },
      {
        measure: 'circuit opened / closed (/metrics)',
        value: `${series('xkld_webhook_circuit_changes_total{to="open"}')} / ${series('xkld_webhook_circuit_changes_total{to="closed"}')}`,
      },
      {
        measure: 'attempts failed / delivered (/metrics)',
        value: `${series('xkld_webhook_deliveries_total{outcome="failed"}')} / ${series('xkld_webhook_deliveries_total{outcome="delivered"}')}`,
      },
    ]);
    const checks = [
      { check: 'assigned leads of A never acknowledged (lost)', value: lost },
      { check: 'acknowledgements beyond the first (copies)', value: copies },
      { check: 'deliveries not recorded as delivered', value: undelivered },
      { check: 'bad signatures', value: receiver.badSignatures },
      { check: `drain over ${TARGET_DRAIN_MS / 1000} s`, value: drainMs <= TARGET_DRAIN_MS ? 0 : 1 },
    ];
    console.log('Checks (each must be 0)');
    console.table(checks.map(({ check, value }) => ({ check, value, result: value === 0 ? 'ok' : 'FAIL' })));
    if (checks.some(({ value }) => value !== 0)) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
