import { createHmac, randomBytes, randomUUID } from 'node:crypto';

import request from 'supertest';

import { CONSENT_POLICY_VERSION, newTrackingCode } from '@app/consultations';

import {
  ConsultationsRepository,
  NewConsultation,
  PendingAccept,
  SealedWith,
} from '../libs/consultations/src/consultations.repository';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';
import { WebhookReceiver } from './helpers/webhook-receiver';

const YEAR = new Date().getUTCFullYear();

describe('consultation requests', () => {
  let ctx: TestContext;
  let agency: string;
  let order: string;
  let phoneSerial = 1000000;

  const nextPhone = () => `09${String(phoneSerial++).padStart(8, '0')}`;
  const body = (overrides: Record<string, unknown> = {}) => ({
    jobOrderId: order,
    fullName: 'Nguyễn Văn An',
    phone: nextPhone(),
    province: 'Nghệ An',
    birthYear: 2000,
    consent: true,
    ...overrides,
  });
  const post = (payload: object, key?: string) => {
    const req = request(ctx.http).post('/api/v1/consultations');
    if (key) req.set('Idempotency-Key', key);
    return req.send(payload);
  };
  const statusOf = async (trackingCode: string) => {
    const { rows } = await ctx.db.query<{ status: string; rejection_reason: string | null }>(
      `SELECT status, rejection_reason FROM consultation_requests WHERE tracking_code = $1`,
      [trackingCode],
    );
    return rows[0];
  };
  const waitForStatus = (trackingCode: string, status: string) =>
    ctx.waitFor(
      async () => {
        const row = await statusOf(trackingCode);
        return row?.status === status ? row : undefined;
      },
      10_000,
      `${trackingCode} to become ${status}`,
    );

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { RECONCILE_AFTER_SECONDS: '1' } });
    agency = await createAgency(ctx.db, { name: 'Công ty Tư vấn A' });
    order = await createJobOrder(ctx.db, {
      agencyId: agency,
      gender: 'male',
      birthYearFrom: 1985,
      birthYearTo: YEAR - 18,
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('while no worker runs', () => {
    it('accepts and stores a request with only Postgres, and the worker later rejects it if the agency was suspended meanwhile', async () => {
      const other = await createAgency(ctx.db);
      const otherOrder = await createJobOrder(ctx.db, { agencyId: other });
      const accepted = await post(body({ jobOrderId: otherOrder }));
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({
        trackingCode: expect.stringMatching(/^[2-9A-Z]{10}$/),
        status: 'received',
      });
      await ctx.db.query(`UPDATE agencies SET license_status = 'suspended' WHERE id = $1`, [other]);

      const lost = await post(body()).expect(202);
      // As if Redis lost the job after the relay handed it over: only the reconciler can save it now.
      await ctx.db.query(`UPDATE outbox SET dispatched_at = now()`);

      await ctx.startWorker();
      expect(await waitForStatus(accepted.body.trackingCode, 'rejected')).toMatchObject({
        rejection_reason: 'AGENCY_NOT_ACTIVE',
      });
      await waitForStatus(lost.body.trackingCode, 'assigned');
    });
  });

  describe('intake', () => {
    beforeAll(async () => {
      if (!ctx.worker) await ctx.startWorker();
    });

    it('stores the request, its consent, its timeline and an outbox row carrying only the id', async () => {
      const payload = body({ fullName: 'Trần Thị Bình', message: 'Tôi muốn đi Nhật', gender: 'male' });
      const { body: accepted } = await post(payload).expect(202);
      const { rows } = await ctx.db.query(
        `SELECT r.*, o.payload
         FROM consultation_requests r JOIN outbox o ON o.payload->>'requestId' = r.id::text
         WHERE r.tracking_code = $1`,
        [accepted.trackingCode],
      );
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row.consent_policy_version).toBe(CONSENT_POLICY_VERSION);
      expect(row.payload).toEqual({ requestId: row.id });
      const stored = JSON.stringify(row);
      for (const secret of ['Trần', 'Bình', payload.phone.slice(1), 'Nhật'])
        expect(stored).not.toContain(secret);
      expect(row.province_code).toBe('nghe-an');
      await waitForStatus(accepted.trackingCode, 'assigned');
    });

    it('maps a former province name to the new province', async () => {
      const { body: accepted } = await post(body({ province: 'Bac Giang' })).expect(202);
      const { rows } = await ctx.db.query(
        `SELECT province_code FROM consultation_requests WHERE tracking_code = $1`,
        [accepted.trackingCode],
      );
      expect(rows[0].province_code).toBe('bac-ninh');
    });

    it.each([
      [{ phone: '01912345678' }, 'phone'],
      [{ phone: '02438123456' }, 'phone'],
      [{ phone: 'gọi tôi nhé' }, 'phone'],
      [{ province: 'Atlantis' }, 'province'],
      [{ consent: false }, 'consent'],
      [{ consent: undefined }, 'consent'],
      [{ fullName: 'A' }, 'fullName'],
      [{ birthYear: 'hai nghìn' }, 'birthYear'],
      [{ jobOrderId: 'x' }, 'jobOrderId'],
      [{ isVip: true }, 'isVip'],
    ])('rejects %j with 400 naming %s', async (override, field) => {
      const response = await post(body(override)).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(JSON.stringify(response.body)).not.toContain('Nguyễn');
    });

    it('judges eligibility at once with the reason code', async () => {
      const closedOrder = await createJobOrder(ctx.db, { agencyId: agency, publicationStatus: 'closed' });
      const suspended = await createAgency(ctx.db, { licenseStatus: 'suspended' });
      const suspendedOrder = await createJobOrder(ctx.db, { agencyId: suspended });
      const cases: [Record<string, unknown>, string][] = [
        [{ birthYear: YEAR - 17 }, 'AGE_OUT_OF_RANGE'],
        [{ birthYear: 1984 }, 'AGE_OUT_OF_RANGE'],
        [{ gender: 'female' }, 'GENDER_MISMATCH'],
        [{ jobOrderId: closedOrder }, 'ORDER_NOT_OPEN'],
        [{ jobOrderId: suspendedOrder }, 'AGENCY_NOT_ACTIVE'],
      ];
      for (const [override, code] of cases) {
        const response = await post(body(override)).expect(422);
        expect(response.body.code).toBe(code);
      }
      await post(body({ jobOrderId: '00000000-0000-4000-8000-000000000000' })).expect(404);
    });
  });

  describe('duplicates and idempotency', () => {
    beforeAll(async () => {
      if (!ctx.worker) await ctx.startWorker();
    });

    it('treats 0912…, +84 912… and 84912… as one number: a repeat within 24 hours learns no code', async () => {
      const first = await post(body({ phone: '0987654321' })).expect(202);
      const second = await post(body({ phone: '+84 987 654 321' })).expect(202);
      const third = await post(body({ phone: '84987654321', fullName: 'Tên khác' })).expect(202);
      expect(first.body).toEqual({ trackingCode: expect.any(String), status: 'received' });
      // Whoever sends someone else's phone learns nothing: the code goes to the phone by SMS.
      expect(second.body).toEqual({ status: 'received', duplicate: true });
      expect(third.body).toEqual({ status: 'received', duplicate: true });
      const { rows } = await ctx.db.query(
        `SELECT count(*)::int AS n FROM consultation_requests WHERE phone_hash =
           (SELECT phone_hash FROM consultation_requests WHERE tracking_code = $1)`,
        [first.body.trackingCode],
      );
      expect(rows[0].n).toBe(1);
    });

    it('answers the same key and body with the same response, and another body with 422', async () => {
      const payload = body();
      const first = await post(payload, 'key-1').expect(202);
      const again = await post(payload, 'key-1').expect(202);
      expect(again.body).toEqual(first.body);
      const reused = await post(body(), 'key-1').expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('stores one request when the same key arrives many times at once', async () => {
      const payload = body();
      const responses = await Promise.all(Array.from({ length: 12 }, () => post(payload, 'concurrent-key')));
      const codes = new Set(responses.filter((r) => r.status === 202).map((r) => r.body.trackingCode));
      expect(responses.every((r) => r.status === 202 || r.status === 409)).toBe(true);
      expect(codes.size).toBe(1);
      const { rows } = await ctx.db.query(
        `SELECT count(*)::int AS n FROM consultation_requests WHERE phone_hash =
           (SELECT phone_hash FROM consultation_requests WHERE tracking_code = $1)`,
        [[...codes][0]],
      );
      expect(rows[0].n).toBe(1);
    });

    it('stores one request when the same phone and order arrive many times at once without keys', async () => {
      const payload = body();
      const responses = await Promise.all(Array.from({ length: 10 }, () => post(payload).expect(202)));
      const withCode = responses.filter((r) => r.body.trackingCode !== undefined);
      expect(withCode).toHaveLength(1);
      expect(responses.filter((r) => r.body.duplicate === true)).toHaveLength(9);
    });

    it('rejects a malformed Idempotency-Key', async () => {
      const response = await post(body(), 'has space').expect(400);
      expect(response.body.errors[0].field).toBe('Idempotency-Key');
    });
  });

  describe('tracking', () => {
    beforeAll(async () => {
      if (!ctx.worker) await ctx.startWorker();
    });

    it('shows the timeline to whoever has the phone, in any format, and 404 otherwise', async () => {
      const phone = '0977000111';
      const { body: accepted } = await post(body({ phone })).expect(202);
      await waitForStatus(accepted.trackingCode, 'assigned');
      const { body: tracked } = await request(ctx.http)
        .get(`/api/v1/consultations/${accepted.trackingCode}`)
        .query({ phone: '+84 977 000 111' })
        .expect(200);
      expect(tracked).toMatchObject({
        trackingCode: accepted.trackingCode,
        status: 'assigned',
        jobOrder: { id: order },
        agency: { id: agency, name: 'Công ty Tư vấn A' },
      });
      expect(tracked.timeline.map((e: { status: string }) => e.status)).toEqual(['received', 'assigned']);

      await request(ctx.http)
        .get(`/api/v1/consultations/${accepted.trackingCode}`)
        .query({ phone: '0977000112' })
        .expect(404);
      await request(ctx.http).get('/api/v1/consultations/ZZZZZZZZZZ').query({ phone }).expect(404);
    });
  });

  describe('the agency side', () => {
    beforeAll(async () => {
      if (!ctx.worker) await ctx.startWorker();
    });

    let receiver: WebhookReceiver;
    let token: string;
    let otherToken: string;

    beforeAll(async () => {
      receiver = new WebhookReceiver();
      const url = await receiver.start();
      const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
      const login = await request(ctx.http)
        .post('/api/v1/auth/login')
        .send({ email: admin.email, password: admin.password })
        .expect(200);
      token = login.body.accessToken;
      await request(ctx.http)
        .put('/api/v1/agency/webhook')
        .set('Authorization', `Bearer ${token}`)
        .send({ url, secret: 'bí mật của doanh nghiệp A' })
        .expect(204);
      const other = await createUser(ctx.db, { role: 'agency_admin', agencyId: await createAgency(ctx.db) });
      otherToken = (
        await request(ctx.http)
          .post('/api/v1/auth/login')
          .send({ email: other.email, password: other.password })
      ).body.accessToken;
    });

    afterAll(async () => {
      await receiver.stop();
    });

    it('POSTs each assigned lead once to the webhook, signed, retrying after a failure', async () => {
      receiver.replies.push(500);
      const phone = '0911222333';
      const { body: accepted } = await post(body({ phone, fullName: 'Lê Văn Cường' })).expect(202);
      const delivered = await ctx.waitFor(
        async () => {
          const { rows } = await ctx.db.query(
            `SELECT r.id, d.attempts, d.delivered_at FROM webhook_deliveries d
             JOIN consultation_requests r ON r.id = d.request_id
           WHERE r.tracking_code = $1 AND d.delivered_at IS NOT NULL`,
            [accepted.trackingCode],
          );
          return rows[0];
        },
        15_000,
        'the webhook delivery',
      );
      expect(delivered.attempts).toBe(2);

      const hooks = receiver.received.filter((hook) => hook.headers['x-delivery-id'] === delivered.id);
      expect(hooks).toHaveLength(2);
      const [, success] = hooks;
      const expected = createHmac('sha256', 'bí mật của doanh nghiệp A').update(success.body).digest('hex');
      expect(success.headers['x-signature']).toBe(`sha256=${expected}`);
      const lead = JSON.parse(success.body).lead;
      expect(lead).toMatchObject({ id: delivered.id, phone: '+84911222333', fullName: 'Lê Văn Cường' });
      // The tracking code is the job seeker's: with the phone it would let the agency review itself.
      expect(success.body).not.toContain(accepted.trackingCode);
    });

    it('lists its own leads with the phone, and only its own', async () => {
      const { body: accepted } = await post(body({ phone: '0933444555' })).expect(202);
      await waitForStatus(accepted.trackingCode, 'assigned');
      const {
        rows: [{ id }],
      } = await ctx.db.query(`SELECT id FROM consultation_requests WHERE tracking_code = $1`, [
        accepted.trackingCode,
      ]);
      const own = await request(ctx.http)
        .get('/api/v1/agency/consultations')
        .query({ status: 'assigned', limit: 100 })
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(own.body.items).toContainEqual(expect.objectContaining({ id, phone: '+84933444555' }));
      expect(JSON.stringify(own.body)).not.toContain(accepted.trackingCode);
      const foreign = await request(ctx.http)
        .get('/api/v1/agency/consultations')
        .set('Authorization', `Bearer ${otherToken}`)
        .expect(200);
      expect(foreign.body.items).toEqual([]);
    });

    it('marks a lead contacted, then closed with an outcome; another agency gets 404', async () => {
      const phone = '0944555666';
      const { body: accepted } = await post(body({ phone })).expect(202);
      await waitForStatus(accepted.trackingCode, 'assigned');
      const { rows } = await ctx.db.query(`SELECT id FROM consultation_requests WHERE tracking_code = $1`, [
        accepted.trackingCode,
      ]);
      const patch = (bearer: string, change: object) =>
        request(ctx.http)
          .patch(`/api/v1/agency/consultations/${rows[0].id}`)
          .set('Authorization', `Bearer ${bearer}`)
          .send(change);

      await patch(otherToken, { status: 'contacted' }).expect(404);
      const contacted = await patch(token, { status: 'contacted' }).expect(200);
      expect(contacted.body.firstContactedAt).toEqual(expect.any(String));
      const missingOutcome = await patch(token, { status: 'closed' }).expect(400);
      expect(missingOutcome.body.errors[0].field).toBe('outcome');
      await patch(token, { status: 'closed', outcome: 'enrolled' }).expect(200);
      await patch(token, { status: 'contacted' }).expect(409);

      const tracked = await request(ctx.http)
        .get(`/api/v1/consultations/${accepted.trackingCode}`)
        .query({ phone })
        .expect(200);
      expect(tracked.body.timeline.map((e: { status: string }) => e.status)).toEqual([
        'received',
        'assigned',
        'contacted',
        'closed',
      ]);
    });

    it('refuses anonymous callers, other roles, and webhooks to private addresses without the override', async () => {
      await request(ctx.http).get('/api/v1/agency/consultations').expect(401);
      const regulator = await createUser(ctx.db, { role: 'regulator' });
      const login = await request(ctx.http)
        .post('/api/v1/auth/login')
        .send({ email: regulator.email, password: regulator.password })
        .expect(200);
      const forbidden = await request(ctx.http)
        .get('/api/v1/agency/consultations')
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .expect(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    });
  });

  describe('group commit', () => {
    let repository: ConsultationsRepository;
    let groupAgency: string;
    let groupOrder: string;

    // Requests written straight through the repository: an agency without a webhook, so nothing is sent.
    const item = (overrides: Partial<NewConsultation> = {}): NewConsultation => ({
      id: randomUUID(),
      trackingCode: newTrackingCode(),
      jobOrderId: groupOrder,
      agencyId: groupAgency,
      fullNameEncrypted: 'v1:sealed-name',
      phoneEncrypted: 'v1:sealed-phone',
      phoneHash: randomBytes(32).toString('hex'),
      provinceCode: 'nghe-an',
      birthYear: 1995,
      gender: null,
      messageEncrypted: null,
      ipHash: null,
      consentPolicyVersion: CONSENT_POLICY_VERSION,
      ...overrides,
    });
    const hash = () => randomBytes(32).toString('hex');
    // Each phone's fields "sealed" under one key per phone, offered: the first request keeps it.
    const keyOf = (phoneHash: string): SealedWith => ({ keyWrapped: `key-${phoneHash}`, offered: true });
    const acceptBatch = (items: Omit<PendingAccept, 'sealedWith'>[]) =>
      repository.acceptBatch(
        items.map((pending) => ({ ...pending, sealedWith: keyOf(pending.request.phoneHash) })),
      );
    const stored = async (phoneHash: string) => {
      const { rows } = await ctx.db.query<{ id: string; tracking_code: string }>(
        `SELECT id, tracking_code FROM consultation_requests WHERE phone_hash = $1`,
        [phoneHash],
      );
      return rows;
    };
    const companions = async (requestId: string) => {
      const { rows } = await ctx.db.query<{ consent: string | null; outbox: number }>(
        `SELECT (SELECT consent_policy_version FROM consultation_requests WHERE id = $1) AS consent,
           (SELECT count(*)::int FROM outbox WHERE payload->>'requestId' = $1::text) AS outbox`,
        [requestId],
      );
      const [first] = await repository.findTimeline(requestId);
      return { ...rows[0], received: first?.status === 'received' };
    };

    beforeAll(async () => {
      repository = ctx.api.get(ConsultationsRepository, { strict: false });
      groupAgency = await createAgency(ctx.db);
      groupOrder = await createJobOrder(ctx.db, { agencyId: groupAgency });
    });

    afterEach(() => jest.restoreAllMocks());

    it('answers each item of one batch on its own: a reused key is refused while the others are stored', async () => {
      const key = `group-${randomUUID()}`;
      const [first] = await acceptBatch([{ request: item(), idempotency: { key, requestHash: hash() } }]);
      expect(first.kind).toBe('created');

      const fresh = item();
      const reused = item();
      const replay = item();
      const keyed = item();
      const results = await acceptBatch([
        { request: fresh },
        { request: reused, idempotency: { key, requestHash: hash() } },
        { request: keyed, idempotency: { key: `${key}-new`, requestHash: hash() } },
        { request: replay, idempotency: { key, requestHash: 'x'.repeat(64) } },
      ]);
      expect(results.map((r) => r.kind)).toEqual(['created', 'key-reused', 'created', 'key-reused']);
      expect(results[0]).toMatchObject({
        response: { trackingCode: fresh.trackingCode, status: 'received' },
      });
      expect(results[2]).toMatchObject({ response: { trackingCode: keyed.trackingCode } });
      expect(await stored(fresh.phoneHash)).toHaveLength(1);
      expect(await stored(keyed.phoneHash)).toHaveLength(1);
      expect(await stored(reused.phoneHash)).toEqual([]);
      expect(await companions(fresh.id)).toEqual({
        consent: CONSENT_POLICY_VERSION,
        received: true,
        outbox: 1,
      });
      expect(await companions(keyed.id)).toEqual({
        consent: CONSENT_POLICY_VERSION,
        received: true,
        outbox: 1,
      });
    });

    it('stores one request for duplicates within one batch, and answers a key repeated in the batch like a retry', async () => {
      const phoneHash = hash();
      const key = `group-${randomUUID()}`;
      const requestHash = hash();
      const copies = [item({ phoneHash }), item({ phoneHash }), item({ phoneHash })];
      const keyedRequest = item();
      const results = await acceptBatch([
        { request: copies[0] },
        { request: keyedRequest, idempotency: { key, requestHash } },
        { request: copies[1] },
        { request: item(), idempotency: { key, requestHash } },
        { request: copies[2] },
        { request: item(), idempotency: { key, requestHash: hash() } },
      ]);
      expect(results.map((r) => r.kind)).toEqual([
        'created',
        'created',
        'duplicate',
        'replayed',
        'duplicate',
        'key-reused',
      ]);
      const code = copies[0].trackingCode;
      for (const i of [0, 2, 4]) expect(results[i]).toMatchObject({ response: { trackingCode: code } });
      expect(results[3]).toMatchObject({ response: { trackingCode: keyedRequest.trackingCode } });
      const rows = await stored(phoneHash);
      expect(rows).toEqual([{ id: copies[0].id, tracking_code: code }]);
      expect(await companions(copies[0].id)).toEqual({
        consent: CONSENT_POLICY_VERSION,
        received: true,
        outbox: 1,
      });
      const { rows: keys } = await ctx.db.query(
        `SELECT response FROM idempotency_keys WHERE scope = 'consultations' AND key = $1`,
        [key],
      );
      expect(keys).toEqual([
        { response: { trackingCode: keyedRequest.trackingCode, status: 'received', duplicate: false } },
      ]);

      // A later batch finds the stored request and the stored answer.
      const later = await acceptBatch([
        { request: item({ phoneHash }) },
        { request: item(), idempotency: { key, requestHash } },
      ]);
      expect(later).toEqual([
        { kind: 'duplicate', response: { trackingCode: code, status: 'received' } },
        { kind: 'replayed', response: { trackingCode: keyedRequest.trackingCode, status: 'received' } },
      ]);
    });

    it('answers a replay of a duplicate as a duplicate, in the same batch and in a later one', async () => {
      const phoneHash = hash();
      const key = `group-${randomUUID()}`;
      const requestHash = hash();
      const [created] = await acceptBatch([{ request: item({ phoneHash }) }]);
      const results = await acceptBatch([
        { request: item({ phoneHash }), idempotency: { key, requestHash } },
        { request: item({ phoneHash }), idempotency: { key, requestHash } },
      ]);
      expect(results.map((r) => r.kind)).toEqual(['duplicate', 'replayed-duplicate']);
      const [later] = await acceptBatch([
        { request: item({ phoneHash }), idempotency: { key, requestHash } },
      ]);
      expect(later.kind).toBe('replayed-duplicate');
      expect(await stored(phoneHash)).toHaveLength(1);
      expect(created.kind).toBe('created');
    });

    it('stores one request when batches on different connections carry the same phone and order at once', async () => {
      const phoneHash = hash();
      const key = `group-${randomUUID()}`;
      const requestHash = hash();
      const batches = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          acceptBatch([
            { request: item() },
            { request: item({ phoneHash }) },
            { request: item({ phoneHash: hash() }), idempotency: { key, requestHash } },
            { request: item({ birthYear: 1990 + i }) },
          ]),
        ),
      );
      const samePhone = batches.map((results) => results[1]);
      expect(samePhone.filter((r) => r.kind === 'created')).toHaveLength(1);
      const codes = new Set(samePhone.map((r) => ('response' in r ? r.response.trackingCode : undefined)));
      expect(codes.size).toBe(1);
      expect(await stored(phoneHash)).toHaveLength(1);
      const sameKey = batches.map((results) => results[2]);
      expect(sameKey.filter((r) => r.kind === 'created')).toHaveLength(1);
      expect(sameKey.every((r) => r.kind === 'created' || r.kind === 'replayed')).toBe(true);
      expect(new Set(sameKey.map((r) => ('response' in r ? r.response.trackingCode : undefined))).size).toBe(
        1,
      );
    });

    it('coalesces concurrent accepts into one call, and a bad item fails alone', async () => {
      const spy = jest.spyOn(repository, 'acceptBatch');
      const good = [item(), item(), item()];
      const bad = item({ jobOrderId: randomUUID() }); // no such order: the foreign key refuses it
      const settled = await Promise.allSettled([
        repository.accept(good[0], keyOf(good[0].phoneHash)),
        repository.accept(bad, keyOf(bad.phoneHash)),
        repository.accept(good[1], keyOf(good[1].phoneHash)),
        repository.accept(good[2], keyOf(good[2].phoneHash), {
          key: `group-${randomUUID()}`,
          requestHash: hash(),
        }),
      ]);
      expect(spy.mock.calls[0][0]).toHaveLength(4);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      for (const [i, request] of [0, 2, 3].entries()) {
        expect(settled[request]).toMatchObject({
          value: { kind: 'created', response: { trackingCode: good[i].trackingCode } },
        });
        expect(await stored(good[i].phoneHash)).toHaveLength(1);
      }
      expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
      expect(await stored(bad.phoneHash)).toEqual([]);
    });

    it('keeps the first key offered for a phone and answers any other sealing with it, an erased key included', async () => {
      const phoneHash = hash();
      const keyOfPhone = async () =>
        (
          await ctx.db.query<{ key_wrapped: string | null }>(
            `SELECT key_wrapped FROM applicant_keys WHERE phone_hash = $1`,
            [phoneHash],
          )
        ).rows.map((row) => row.key_wrapped);
      const offer = (keyWrapped: string) => ({ keyWrapped, offered: true });
      const [first, rival] = await Promise.all([
        repository.accept(item({ phoneHash }), offer('key-a')),
        repository.accept(item({ phoneHash, jobOrderId: groupOrder }), offer('key-b')),
      ]);
      // Concurrent offers: the first is kept, the other item is stored nowhere and told the kept key.
      expect([first.kind, rival]).toEqual(['created', { kind: 'rekey', keptKey: 'key-a' }]);
      expect(await keyOfPhone()).toEqual(['key-a']);
      expect(await stored(phoneHash)).toHaveLength(1);

      // A key the caller believes is the phone's but is not: told the kept one, nothing stored.
      const stale = await repository.accept(item({ phoneHash }), { keyWrapped: 'key-old', offered: false });
      expect(stale).toEqual({ kind: 'rekey', keptKey: 'key-a' });

      // Erased: a remembered key is refused (null: none kept), and only a fresh offer becomes the key.
      await ctx.db.query(
        `UPDATE applicant_keys SET key_wrapped = NULL, erased_at = now() WHERE phone_hash = $1`,
        [phoneHash],
      );
      const otherOrder = await createJobOrder(ctx.db, { agencyId: groupAgency });
      const remembered = await repository.accept(item({ phoneHash, jobOrderId: otherOrder }), {
        keyWrapped: 'key-a',
        offered: false,
      });
      expect(remembered).toEqual({ kind: 'rekey', keptKey: null });
      expect(await keyOfPhone()).toEqual([null]);
      const renewed = await repository.accept(item({ phoneHash, jobOrderId: otherOrder }), offer('key-c'));
      expect(renewed.kind).toBe('created');
      expect(await keyOfPhone()).toEqual(['key-c']);
    });

    it('answers 202 only once the request is committed, for every request of a concurrent burst', async () => {
      const payloads = Array.from({ length: 20 }, () => body({ jobOrderId: groupOrder }));
      await Promise.all(
        payloads.map(async (payload) => {
          const response = await post(payload).expect(202);
          // Read on another connection the moment the answer arrives: the row must already be visible.
          expect(await statusOf(response.body.trackingCode)).toEqual({
            status: expect.any(String),
            rejection_reason: null,
          });
        }),
      );
    });

    it('fails every request of a failing batch with a problem, none hangs, and then recovers', async () => {
      const signature = 'accept_consultations(jsonb, text, text, text)';
      await ctx.db.query(`ALTER FUNCTION ${signature} RENAME TO accept_consultations_away`);
      let responses: request.Response[];
      try {
        responses = await Promise.all(
          Array.from({ length: 5 }, () => post(body({ jobOrderId: groupOrder }))),
        );
      } finally {
        await ctx.db.query(
          `ALTER FUNCTION accept_consultations_away(jsonb, text, text, text) RENAME TO accept_consultations`,
        );
      }
      for (const response of responses) {
        expect(response.status).toBe(500);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      await post(body({ jobOrderId: groupOrder })).expect(202);
    });
  });

  describe('when Redis loses its data', () => {
    it('puts the maintenance schedules, the reconciler among them, back within seconds', async () => {
      if (!ctx.worker) await ctx.startWorker();
      const schedules = () => ctx.redisKeys('bull:maintenance:repeat');
      await ctx.waitFor(async () => ((await schedules()).length ? true : undefined), 10_000, 'the schedules');
      await ctx.deleteRedisKeys();

      await ctx.waitFor(
        async () => ((await schedules()).length ? true : undefined),
        15_000,
        'the schedules to come back',
      );
      const lost = await post(body()).expect(202);
      await waitForStatus(lost.body.trackingCode, 'assigned');
    });
  });
});
