import { createHmac } from 'node:crypto';

import { Client } from 'pg';
import request from 'supertest';

import { TestContext } from './helpers/context';
import { databaseUrl } from './helpers/env';
import { createAgency, createJobOrder, createUser } from './helpers/factories';
import { e164, SmsInbox, smsOf } from './helpers/sms-inbox';

const SMS_SECRET = 'sms-secret-for-this-file-0123';

describe('applicants: one-time codes, applicant tokens and their requests', () => {
  let ctx: TestContext;
  let sms: SmsInbox;
  let order: string;
  let otherOrder: string;
  let phoneSerial = 5_000_000;

  const nextPhone = () => `09${String(phoneSerial++).padStart(8, '0')}`;
  const startVerification = (phone: string) =>
    request(ctx.http).post('/api/v1/phone-verifications').send({ phone });
  const confirm = (id: string, code: string) =>
    request(ctx.http).post(`/api/v1/phone-verifications/${id}/confirm`).send({ code });
  const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1];

  /** The whole proof: ask for a code, read it from the SMS, exchange it for a token. */
  const proveAndGetToken = async (phone: string): Promise<string> => {
    const before = sms.textsTo(phone).length;
    const started = await startVerification(phone).expect(202);
    const text = await sms.waitForText(ctx, phone, before + 1);
    const { body } = await confirm(started.body.verificationId, codeIn(text.text)!).expect(200);
    return body.applicantToken as string;
  };
  const consult = (phone: string, jobOrderId = order, key?: string) => {
    const req = request(ctx.http).post('/api/v1/consultations');
    if (key) req.set('Idempotency-Key', key);
    return req.send({
      jobOrderId,
      fullName: 'Trần Thị Bình',
      phone,
      province: 'Thanh Hóa',
      birthYear: 1999,
      consent: true,
    });
  };

  beforeAll(async () => {
    sms = new SmsInbox();
    const url = await sms.start();
    ctx = await TestContext.create({
      worker: true,
      env: {
        SMS_PROVIDER: 'http',
        SMS_HTTP_URL: url,
        SMS_HTTP_SECRET: SMS_SECRET,
        RATE_LIMIT_OTP_PER_PHONE_PER_HOUR: '3',
      },
    });
    const agency = await createAgency(ctx.db, { name: 'Công ty Xác minh' });
    order = await createJobOrder(ctx.db, { agencyId: agency });
    otherOrder = await createJobOrder(ctx.db, { agencyId: agency });
  });

  afterAll(async () => {
    await ctx?.close();
    await sms.stop();
  });

  it('sends a signed 6-digit code to any valid phone, and exchanges it once for an applicant token', async () => {
    const phone = nextPhone();
    const started = await startVerification(phone).expect(202);
    expect(started.body).toEqual({ verificationId: expect.any(String), expiresAt: expect.any(String) });
    const expiresIn = Date.parse(started.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(4 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);

    const text = await sms.waitForText(ctx, phone);
    const received = sms.received.find((hook) => smsOf(hook).to === e164(phone))!;
    const signature = createHmac('sha256', SMS_SECRET).update(received.body).digest('hex');
    expect(received.headers['x-signature']).toBe(`sha256=${signature}`);
    const code = codeIn(text.text);
    expect(code).toMatch(/^\d{6}$/);

    const { body } = await confirm(started.body.verificationId, code!).expect(200);
    expect(body).toEqual({ applicantToken: expect.any(String), expiresIn: expect.any(Number) });
    expect(body.expiresIn).toBeLessThanOrEqual(3600);

    // Used once: the same code again is expired.
    expect((await confirm(started.body.verificationId, code!).expect(410)).body.code).toBe('OTP_EXPIRED');
  });

  it('ends a verification after 5 wrong codes, and refuses an expired one', async () => {
    const phone = nextPhone();
    const started = await startVerification(phone).expect(202);
    const code = codeIn((await sms.waitForText(ctx, phone)).text)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const answer = await confirm(started.body.verificationId, wrong).expect(422);
      expect(answer.body.code).toBe('OTP_INVALID');
    }
    // The right code no longer helps.
    expect((await confirm(started.body.verificationId, code).expect(410)).body.code).toBe('OTP_EXPIRED');

    const late = await startVerification(phone).expect(202);
    const lateCode = codeIn((await sms.waitForText(ctx, phone, 2)).text)!;
    await ctx.db.query(
      `UPDATE phone_verifications SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [late.body.verificationId],
    );
    expect((await confirm(late.body.verificationId, lateCode).expect(410)).body.code).toBe('OTP_EXPIRED');

    await confirm('00000000-0000-4000-8000-000000000000', '123456').expect(404);
    const malformed = await confirm(late.body.verificationId, '12ab56').expect(400);
    expect(malformed.body.errors[0].field).toBe('code');
  });

  it('keeps no code in clear: not in the database, the queue or Redis, and a sent text is deleted', async () => {
    const phone = nextPhone();
    const started = await startVerification(phone).expect(202);
    const code = codeIn((await sms.waitForText(ctx, phone)).text)!;
    const tables = await ctx.db.query(
      `SELECT (SELECT row_to_json(v)::text FROM phone_verifications v WHERE id = $1) AS verification,
         (SELECT json_agg(o)::text FROM outbox o WHERE queue = 'sms') AS outbox`,
      [started.body.verificationId],
    );
    expect(JSON.stringify(tables.rows)).not.toContain(code);
    expect(JSON.stringify(tables.rows)).not.toContain(phone.slice(1));
    await ctx.waitFor(
      async () => {
        const { rows } = await ctx.db.query(`SELECT count(*)::int AS n FROM sms_messages`);
        return rows[0].n === 0 ? true : undefined;
      },
      5_000,
      'sent texts to be deleted',
    );
    for (const key of await ctx.redisKeys('*')) {
      expect(key).not.toContain(code);
      expect(key).not.toContain(phone.slice(1));
    }
  });

  it('answers 202 the same way whether or not the phone ever made a request, and limits codes per phone', async () => {
    const known = nextPhone();
    await consult(known).expect(202);
    const unknown = nextPhone();
    const a = await startVerification(known).expect(202);
    const b = await startVerification(unknown).expect(202);
    expect(Object.keys(a.body).sort()).toEqual(Object.keys(b.body).sort());

    await startVerification(unknown).expect(202);
    await startVerification(unknown).expect(202);
    const limited = await startVerification(unknown).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();

    const invalid = await startVerification('12345').expect(400);
    expect(invalid.body.errors[0].field).toBe('phone');
  });

  it("sends a duplicate's code to the phone only: the sender of the repeat learns nothing", async () => {
    const phone = nextPhone();
    const first = await consult(phone).expect(202);
    const repeat = await consult(phone, order, 'dup-key-1').expect(202);
    expect(repeat.body).toEqual({ status: 'received', duplicate: true });
    // A replay of the repeat with its key answers the same, still without the code.
    const replay = await consult(phone, order, 'dup-key-1').expect(202);
    expect(replay.body).toEqual({ status: 'received', duplicate: true });

    const text = await sms.waitForText(ctx, phone);
    expect(text.text).toContain(first.body.trackingCode);
    // One text for the repeat, none for its replay.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sms.textsTo(phone)).toHaveLength(1);
  });

  it("lists the applicant's own requests, and only theirs", async () => {
    const phone = nextPhone();
    const mine = [
      (await consult(phone).expect(202)).body,
      (await consult(phone, otherOrder).expect(202)).body,
    ];
    await consult(nextPhone()).expect(202);
    const token = await proveAndGetToken(phone);

    const { body } = await ctx.as(token).get('/me/consultations').expect(200);
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((item: { trackingCode: string }) => item.trackingCode).sort()).toEqual(
      mine.map((answer) => answer.trackingCode).sort(),
    );
    expect(body.items[0]).toEqual({
      trackingCode: expect.any(String),
      status: expect.any(String),
      jobOrder: { id: expect.any(String), title: expect.any(String) },
      agency: { id: expect.any(String), name: 'Công ty Xác minh', licenseNumber: expect.any(String) },
      createdAt: expect.any(String),
    });

    const firstPage = await ctx.as(token).get('/me/consultations?limit=1').expect(200);
    const secondPage = await ctx
      .as(token)
      .get(`/me/consultations?limit=1&cursor=${encodeURIComponent(firstPage.body.nextCursor)}`)
      .expect(200);
    // Statuses move on as the worker assigns the requests: the pages are compared by code.
    const codes = (page: { items: { trackingCode: string }[] }) =>
      page.items.map((item) => item.trackingCode);
    expect([...codes(firstPage.body), ...codes(secondPage.body)]).toEqual(codes(body));
  });

  it('keeps applicant and staff tokens apart', async () => {
    await request(ctx.http).get('/api/v1/me/consultations').expect(401);
    const admin = await createUser(ctx.db, { role: 'admin' });
    const staffToken = await ctx.login(admin.email, admin.password);
    expect((await ctx.as(staffToken).get('/me/consultations').expect(401)).body.code).toBe('UNAUTHENTICATED');

    const applicantToken = ctx.applicantToken(nextPhone());
    await ctx.as(applicantToken).get('/auth/me').expect(401);
    await ctx.as(applicantToken).get('/admin/users').expect(401);
  });
  it("finds a phone's key through its index however small the table was when the connection planned the lookup", async () => {
    // A connection's first calls, on a nearly empty table, would settle a generic plan reading the whole table.
    const session = new Client({ connectionString: databaseUrl(ctx.database) });
    await session.connect();
    const offer = (hashes: string[]) =>
      session.query(`SELECT count(*) FROM ensure_applicant_keys($1::character(64)[], $2::text[])`, [
        hashes,
        hashes.map(() => 'wrapped key'),
      ]);
    const hashes = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => createHmac('sha256', prefix).update(String(i)).digest('hex'));
    const fullScans = async () =>
      Number(
        (
          await session.query<{ read: string }>(
            `SELECT seq_tup_read AS read FROM pg_stat_xact_user_tables WHERE relname = 'applicant_keys'`,
          )
        ).rows[0].read,
      );
    try {
      await session.query('BEGIN');
      for (let call = 0; call < 7; call++) await offer(hashes(`call ${call}`, 15));
      await session.query(
        `INSERT INTO applicant_keys (phone_hash, key_wrapped)
         SELECT encode(sha256(('bulk ' || g)::bytea), 'hex'), 'wrapped key' FROM generate_series(1, 20000) g`,
      );
      const before = await fullScans();
      await offer(hashes('one more phone', 1));
      expect((await fullScans()) - before).toBeLessThan(1000);
    } finally {
      await session.query('ROLLBACK');
      await session.end();
    }
  });
});
