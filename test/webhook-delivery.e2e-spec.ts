import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

type Mode = 'ok' | 'hang' | number;

/**
 * An agency's webhook that can answer 2xx, a status, or hang (read the lead and never answer). It records
 * every request it read and every 2xx it gave, by X-Delivery-Id, checking the signature.
 */
class Receiver {
  mode: Mode = 'ok';
  readonly received: { deliveryId: string; at: number; body: string }[] = [];
  readonly acknowledged = new Map<string, number>();
  badSignatures = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly held: ServerResponse[] = [];

  constructor(private readonly secret: string) {}

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const deliveryId = String(req.headers['x-delivery-id']);
        const expected = `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
        if (req.headers['x-signature'] !== expected) this.badSignatures++;
        this.received.push({ deliveryId, at: Date.now(), body });
        if (this.mode === 'hang') {
          this.held.push(res);
        } else if (this.mode === 'ok') {
          this.acknowledged.set(deliveryId, (this.acknowledged.get(deliveryId) ?? 0) + 1);
          res.writeHead(200).end('ok');
        } else {
          res.writeHead(this.mode).end('<html>a body that must never be stored</html>');
        }
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/leads`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/**
 * Webhook delivery per agency (docs/design.md, "Webhook delivery"), with the documented defaults: 3 s to
 * answer, 16 in flight per agency, the circuit opening at 5 consecutive failures and probed every 5 s.
 */
describe('webhook delivery, isolated per agency', () => {
  let ctx: TestContext;
  let phoneSerial = 3_000_000;

  const nextPhone = () => `09${String(phoneSerial++).padStart(8, '0')}`;
  const consult = async (order: string) => {
    const { body } = await request(ctx.http)
      .post('/api/v1/consultations')
      .send({
        jobOrderId: order,
        fullName: 'Hoàng Thị Lan',
        phone: nextPhone(),
        province: 'Nghệ An',
        birthYear: 1998,
        message: 'Xin gọi lại cho tôi',
        consent: true,
      })
      .expect(202);
    return body.trackingCode as string;
  };
  /** An agency with a published order, an admin's token, and its webhook pointing at a new receiver. */
  const agencyWithWebhook = async (name: string, secret: string) => {
    const agency = await createAgency(ctx.db, { name });
    const order = await createJobOrder(ctx.db, { agencyId: agency });
    const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    const token = await ctx.login(admin.email, admin.password);
    const receiver = new Receiver(secret);
    await ctx
      .as(token)
      .put('/agency/webhook', { url: await receiver.start(), secret })
      .expect(204);
    receivers.push(receiver);
    return { agency, order, token, receiver };
  };
  const deliveries = async (agency: string) => {
    const { rows } = await ctx.db.query<{ id: string; delivered: boolean; attempts: number }>(
      `SELECT request_id AS id, delivered_at IS NOT NULL AS delivered, attempts FROM webhook_deliveries
       WHERE agency_id = $1 AND event = 'consultation.assigned'`,
      [agency],
    );
    return rows;
  };
  const metric = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
  const metrics = async () => (await request(ctx.http).get('/metrics').expect(200)).text;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
  });

  afterAll(async () => {
    await ctx?.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  });

  it("delivers another agency's leads within 2 s (p99) while one agency's endpoint hangs with 200 leads queued, then each of those once when it recovers", async () => {
    const hanging = await agencyWithWebhook('Công ty Treo Máy', 'secret of the hanging agency');
    const healthy = await agencyWithWebhook('Công ty Khỏe Mạnh', 'secret of the healthy agency');
    hanging.receiver.mode = 'hang';

    // 200 leads for the hanging endpoint, ten at a time.
    for (let i = 0; i < 200; i += 10) {
      await Promise.all(Array.from({ length: 10 }, () => consult(hanging.order)));
    }
    await ctx.waitFor(
      async () => ((await deliveries(hanging.agency)).length === 200 ? true : undefined),
      20_000,
      "the hanging agency's 200 deliveries",
    );

    // Then 40 leads for the healthy agency, one every 100 ms: across the first timeouts and the open circuit.
    const sentAt = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const before = Date.now();
      const code = await consult(healthy.order);
      sentAt.set(code, before);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { rows: healthyIds } = await ctx.db.query<{ id: string; code: string }>(
      `SELECT id, tracking_code AS code FROM consultation_requests WHERE agency_id = $1`,
      [healthy.agency],
    );
    await ctx.waitFor(
      () => Promise.resolve(healthy.receiver.acknowledged.size === 40 ? true : undefined),
      10_000,
      "the healthy agency's 40 leads",
    );
    const latencies = healthyIds.map(({ id, code }) => {
      const arrived = healthy.receiver.received.find((hook) => hook.deliveryId === id)!.at;
      return arrived - sentAt.get(code)!;
    });
    const p99 = percentile(latencies, 99);
    if (process.env.WEBHOOK_E2E_REPORT) {
      console.log(
        `healthy agency: p50 ${percentile(latencies, 50)} ms, p99 ${p99} ms, max ${Math.max(...latencies)} ms`,
      );
    }
    expect(p99).toBeLessThan(2000);
    expect(healthy.receiver.badSignatures).toBe(0);

    // The hanging endpoint cost one lane's worth of requests and opened its circuit: the rest is parked.
    const open = await ctx.waitFor(
      async () => {
        const { body } = await ctx.as(hanging.token).get('/agency/webhook').expect(200);
        return body.state === 'circuit_open' ? body : undefined;
      },
      10_000,
      'the hanging endpoint’s circuit to open',
    );
    expect(open).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/leads$/),
      circuit: {
        state: 'open',
        openedAt: expect.any(String),
        nextProbeAt: expect.any(String),
        failureThreshold: 5,
      },
      lastSuccessAt: null,
      backlog: { pending: 200, oldestCreatedAt: expect.any(String) },
    });
    expect(open.circuit.consecutiveFailures).toBeGreaterThanOrEqual(5);
    expect(open.recentErrors[0]).toEqual({
      at: expect.any(String),
      deliveryId: expect.any(String),
      event: 'consultation.assigned',
      error: 'no answer within 3000 ms',
    });
    const whileHanging = hanging.receiver.received.length;
    expect(whileHanging).toBeLessThanOrEqual(16 + 3);

    let text = await metrics();
    expect(metric(text, 'xkld_webhook_circuits{state="open"}')).toBe(1);
    expect(metric(text, 'xkld_webhook_circuit_changes_total{to="open"}')).toBe(1);
    expect(metric(text, 'xkld_webhook_pending_deliveries{circuit="open"}')).toBe(200);
    expect(metric(text, 'xkld_webhook_deliveries_total{outcome="failed"}')).toBeGreaterThanOrEqual(5);

    // It recovers: the next probe closes the circuit and the 200 go out, each acknowledged once.
    hanging.receiver.mode = 'ok';
    const recoveredAt = Date.now();
    await ctx.waitFor(
      async () => ((await deliveries(hanging.agency)).every((row) => row.delivered) ? true : undefined),
      20_000,
      "the hanging agency's 200 deliveries after it recovered",
    );
    const ids = (await deliveries(hanging.agency)).map((row) => row.id).sort();
    expect([...hanging.receiver.acknowledged.keys()].sort()).toEqual(ids);
    expect([...hanging.receiver.acknowledged.values()].every((count) => count === 1)).toBe(true);
    expect(hanging.receiver.badSignatures).toBe(0);
    if (process.env.WEBHOOK_E2E_REPORT) {
      const last = Math.max(...hanging.receiver.received.map((hook) => hook.at));
      console.log(
        `hanging agency: ${whileHanging} requests while hanging, 200 delivered ${last - recoveredAt} ms after recovery`,
      );
    }

    const { body: closed } = await ctx.as(hanging.token).get('/agency/webhook').expect(200);
    expect(closed).toMatchObject({
      state: 'healthy',
      circuit: { state: 'closed', openedAt: null, nextProbeAt: null, consecutiveFailures: 0 },
      lastSuccessAt: expect.any(String),
      backlog: { pending: 0, retrying: 0, oldestCreatedAt: null },
    });
    text = await metrics();
    expect(metric(text, 'xkld_webhook_circuits{state="open"}')).toBe(0);
    expect(metric(text, 'xkld_webhook_circuit_changes_total{to="closed"}')).toBe(1);
    expect(metric(text, 'xkld_webhook_pending_deliveries{circuit="open"}')).toBe(0);

    // The intake settled those requests in batches: each counted once, audited once, the chain intact.
    const { rows: counts } = await ctx.db.query(
      `SELECT o.consultation_count AS n,
         (SELECT count(*)::int FROM audit_log a JOIN consultation_requests r ON r.id::text = a.entity_id
          WHERE r.job_order_id = o.id AND a.action = 'consultation.assign') AS audited,
         (SELECT count(*)::int FROM consultation_events e JOIN consultation_requests r ON r.id = e.request_id
          WHERE r.job_order_id = o.id AND e.status = 'assigned') AS events
       FROM job_orders o WHERE o.id = $1`,
      [hanging.order],
    );
    expect(counts[0]).toEqual({ n: 200, audited: 200, events: 200 });
    const regulator = await createUser(ctx.db, { role: 'regulator' });
    const { body: chain } = await ctx
      .as(await ctx.login(regulator.email, regulator.password))
      .get('/regulator/audit-log/verify')
      .expect(200);
    expect(chain.valid).toBe(true);
  }, 90_000);

  it('opens the circuit after consecutive failures, keeps no answer body, and closes it on a test event or a redelivery', async () => {
    const failing = await agencyWithWebhook('Công ty Lỗi 503', 'secret of the failing agency');
    failing.receiver.mode = 503;
    await ctx
      .as(failing.token)
      .get('/agency/webhook')
      .expect(200, {
        url: (await ctx.db.query(`SELECT url FROM agency_webhooks WHERE agency_id = $1`, [failing.agency]))
          .rows[0].url,
        state: 'healthy',
        circuit: {
          state: 'closed',
          openedAt: null,
          nextProbeAt: null,
          consecutiveFailures: 0,
          failureThreshold: 5,
        },
        lastSuccessAt: null,
        lastFailureAt: null,
        recentErrors: [],
        backlog: { pending: 0, retrying: 0, oldestCreatedAt: null },
      });

    // One lead: it fails and is retried (2 s, 4 s…) while the circuit stays closed: "failing".
    await consult(failing.order);
    const failingState = await ctx.waitFor(
      async () => {
        const { body } = await ctx.as(failing.token).get('/agency/webhook').expect(200);
        return body.state === 'failing' ? body : undefined;
      },
      10_000,
      'the endpoint to be failing',
    );
    expect(failingState.recentErrors[0].error).toBe('HTTP 503');
    expect(failingState.backlog).toMatchObject({ pending: 1, retrying: 1 });

    // Nine more: five consecutive failures open it, and then nothing but a probe every 5 s goes out.
    for (let i = 0; i < 9; i++) await consult(failing.order);
    await ctx.waitFor(
      async () => {
        const { body } = await ctx.as(failing.token).get('/agency/webhook').expect(200);
        return body.state === 'circuit_open' ? body : undefined;
      },
      10_000,
      'the circuit to open',
    );
    const atOpen = failing.receiver.received.length;
    expect(atOpen).toBeLessThanOrEqual(1 + 16);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(failing.receiver.received.length - atOpen).toBeLessThanOrEqual(2);
    const { body: parked } = await ctx.as(failing.token).get('/agency/webhook').expect(200);
    expect(parked.backlog.pending).toBe(10);
    expect(JSON.stringify(parked)).not.toMatch(/html|body that must never|Hoàng|Lan|\+849/);
    const { rows: stored } = await ctx.db.query(
      `SELECT recent_errors::text AS errors FROM agency_webhooks WHERE agency_id = $1`,
      [failing.agency],
    );
    expect(stored[0].errors).not.toMatch(/html|body that must never/);

    // A test event: signed, answered as the endpoint answered, and it does not move the circuit.
    const failedTest = await ctx.as(failing.token).post('/agency/webhook/test').expect(200);
    expect(failedTest.body).toEqual({
      delivered: false,
      status: 503,
      error: 'HTTP 503',
      durationMs: expect.any(Number),
      deliveryId: expect.stringMatching(/^webhook\.test:[0-9a-f-]{36}$/),
    });
    const testHook = failing.receiver.received.find(
      (hook) => hook.deliveryId === failedTest.body.deliveryId,
    )!;
    expect(JSON.parse(testHook.body)).toEqual({
      event: 'webhook.test',
      deliveryId: failedTest.body.deliveryId,
      sentAt: expect.any(String),
    });
    expect(failing.receiver.badSignatures).toBe(0);

    // The endpoint is fixed: the agency asks for its parked leads now instead of waiting for the probe.
    failing.receiver.mode = 'ok';
    const okTest = await ctx.as(failing.token).post('/agency/webhook/test').expect(200);
    expect(okTest.body).toMatchObject({ delivered: true, status: 200, error: null });
    const redelivered = await ctx.as(failing.token).post('/agency/webhook/redeliver').expect(202);
    expect(redelivered.body).toEqual({ pending: 10 });
    await ctx.waitFor(
      async () => ((await deliveries(failing.agency)).every((row) => row.delivered) ? true : undefined),
      4000,
      'the parked deliveries, well before the next probe',
    );
    const leads = (await deliveries(failing.agency)).map((row) => row.id).sort();
    expect(
      [...failing.receiver.acknowledged.keys()].filter((id) => !id.startsWith('webhook.test')).sort(),
    ).toEqual(leads);
    const { body: healthy } = await ctx.as(failing.token).get('/agency/webhook').expect(200);
    expect(healthy).toMatchObject({ state: 'healthy', backlog: { pending: 0 } });

    // Jobs and logs carry ids only: no job holds a delivery, and the stored errors name no one.
    const { rows: outbox } = await ctx.db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE queue = 'agency-notifications'`,
    );
    expect(outbox[0].n).toBe(0);
  }, 60_000);

  it('tells an agency without a webhook so, and limits test events', async () => {
    const agency = await createAgency(ctx.db);
    const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    const token = await ctx.login(admin.email, admin.password);
    const { body } = await ctx.as(token).get('/agency/webhook').expect(200);
    expect(body).toMatchObject({ url: null, state: 'not_set', circuit: null, recentErrors: [] });
    expect((await ctx.as(token).post('/agency/webhook/test').expect(404)).body.code).toBe('NOT_FOUND');
    expect((await ctx.as(token).post('/agency/webhook/redeliver').expect(202)).body).toEqual({ pending: 0 });

    const staff = await createUser(ctx.db, { role: 'agency_staff', agencyId: agency });
    const staffToken = await ctx.login(staff.email, staff.password);
    await ctx.as(staffToken).get('/agency/webhook').expect(200);
    await ctx.as(staffToken).post('/agency/webhook/test').expect(403);
    await ctx.as(staffToken).post('/agency/webhook/redeliver').expect(403);

    const receiver = new Receiver('a secret long enough');
    receivers.push(receiver);
    await ctx
      .as(token)
      .put('/agency/webhook', { url: await receiver.start(), secret: 'a secret long enough' });
    for (let i = 0; i < 10; i++) await ctx.as(token).post('/agency/webhook/test').expect(200);
    const limited = await ctx.as(token).post('/agency/webhook/test').expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(receiver.received).toHaveLength(10);
  });
});
