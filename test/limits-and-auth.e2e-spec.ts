import { createHmac } from 'node:crypto';

import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

describe('rate limits and authentication', () => {
  let ctx: TestContext;
  let order: string;

  beforeAll(async () => {
    ctx = await TestContext.create({
      env: {
        RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR: '5',
        RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR: '2',
        TRUSTED_PROXIES: 'loopback',
      },
    });
    order = await createJobOrder(ctx.db, { agencyId: await createAgency(ctx.db) });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const consult = (phone: string, ip: string) =>
    request(ctx.http).post('/api/v1/consultations').set('X-Forwarded-For', `203.0.113.${ip}`).send({
      jobOrderId: order,
      fullName: 'Phạm Thị Dung',
      phone,
      province: 'Hà Nội',
      birthYear: 1999,
      consent: true,
    });

  describe('consultation rate limits', () => {
    it('allows a few requests per phone, then answers 429 with Retry-After', async () => {
      await consult('0966000001', '1').expect(202);
      await consult('+84966000001', '1').expect(202);
      const limited = await consult('84966000001', '1').expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('limits one address however many phones it uses, with the limit held in Redis', async () => {
      const statuses: number[] = [];
      for (let i = 2; i <= 8; i++) statuses.push((await consult(`096600000${i}`, '1')).status);
      // The first describe already used three of this address's five.
      expect(statuses).toEqual([202, 202, 429, 429, 429, 429, 429]);
      const keys = await ctx.redisKeys('ratelimit:consultations:ip:*');
      expect(keys.length).toBeGreaterThan(0);
    });
  });

  describe('authentication', () => {
    let email: string;
    let password: string;
    let token: string;

    beforeAll(async () => {
      ({ email, password } = await createUser(ctx.db, { role: 'regulator' }));
      token = (await request(ctx.http).post('/api/v1/auth/login').send({ email, password }).expect(200)).body
        .accessToken;
    });

    const me = (bearer: string) =>
      request(ctx.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${bearer}`);
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const sign = (header: object, claims: object, secret: string) => {
      const unsigned = `${b64(header)}.${b64(claims)}`;
      return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
    };

    it('signs in and reads the current user', async () => {
      const { body } = await me(token).expect(200);
      expect(body).toMatchObject({ email, role: 'regulator' });
    });

    it('rejects a wrong password with 401 and no hint whether the account exists', async () => {
      const wrong = await request(ctx.http)
        .post('/api/v1/auth/login')
        .send({ email, password: 'sai mật khẩu' })
        .expect(401);
      const unknown = await request(ctx.http)
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@example.vn', password: 'sai mật khẩu' })
        .expect(401);
      expect(wrong.body).toEqual(unknown.body);
    });

    it.each([
      ['no token', ''],
      ['garbage', 'not.a.jwt'],
    ])('rejects %s', async (_, bearer) => {
      await me(bearer).expect(401);
    });

    it('rejects alg none, a tampered signature, an expired token and another issuer', async () => {
      const [header, payload] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      await me(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`).expect(401);
      await me(`${header}.${b64({ ...claims, role: 'admin' })}.${token.split('.')[2]}`).expect(401);
      const secret = process.env.JWT_SECRET!;
      const now = Math.floor(Date.now() / 1000);
      await me(
        sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 7200, exp: now - 3600 }, secret),
      ).expect(401);
      await me(sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'someone-else' }, secret)).expect(401);
      await me(sign({ alg: 'HS256', typ: 'JWT' }, claims, secret)).expect(200);
    });

    const signIn = (address: string, credentials: { email: string; password: string }) =>
      request(ctx.http).post('/api/v1/auth/login').set('X-Forwarded-For', address).send(credentials);

    it('evaluates at most the limit of 64 wrong passwords sent at once, and the owner still signs in elsewhere', async () => {
      const admin = await createUser(ctx.db, { role: 'admin' });
      // The module object passwords.ts calls into (an import would see a copy of it).
      const verify = jest.spyOn(jest.requireActual<typeof import('argon2')>('argon2'), 'verify');
      const answers = await Promise.all(
        Array.from({ length: 64 }, () => signIn('203.0.113.66', { email: admin.email, password: 'đoán mò' })),
      );
      const evaluated = verify.mock.calls.length;
      verify.mockRestore();
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status !== 429)).toEqual(Array(5).fill(401));
      expect(evaluated).toBe(5);
      const refused = answers.find((answer) => answer.status === 429)!;
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

      const rightPassword = { email: admin.email, password: admin.password };
      await signIn('203.0.113.66', rightPassword).expect(429);
      const elsewhere = await signIn('198.51.100.7', rightPassword).expect(200);
      expect(elsewhere.body.user).toMatchObject({ role: 'admin' });
    });

    it('makes each further failure of an account from one address wait twice as long', async () => {
      const victim = await createUser(ctx.db, { role: 'agency_staff', agencyId: await createAgency(ctx.db) });
      const attempt = (password: string) => signIn('198.51.100.2', { email: victim.email, password });
      for (let i = 0; i < 5; i++) await attempt('đoán mò').expect(401);
      expect((await attempt(victim.password).expect(429)).headers['retry-after']).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await attempt('đoán mò').expect(401);
      expect((await attempt('đoán mò').expect(429)).headers['retry-after']).toBe('2');
      await new Promise((resolve) => setTimeout(resolve, 2100));
      // A success forgets the failures.
      await attempt(victim.password).expect(200);
      for (let i = 0; i < 3; i++) await attempt('đoán mò').expect(401);
    });

    it('limits the failures of one address over every account', async () => {
      const statuses: number[] = [];
      for (let account = 0; account < 4; account++) {
        const { email } = await createUser(ctx.db, { role: 'regulator' });
        for (let i = 0; i < 3; i++)
          statuses.push((await signIn('198.51.100.3', { email, password: 'sai' })).status);
      }
      expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    });
  });

  describe('client addresses in Redis', () => {
    it('are hashed in every key, as for sign-ups', async () => {
      await request(ctx.http)
        .get('/api/v1/consultations/ABCDEFGHJK?phone=0966000001')
        .set('X-Forwarded-For', '203.0.113.9')
        .expect(404);
      await request(ctx.http)
        .post(`/api/v1/job-orders/${order}/reports`)
        .set('X-Forwarded-For', '203.0.113.10')
        .send({ reason: 'fake_order' })
        .expect(202);
      const keys = await ctx.redisKeys('*');
      for (const scope of ['consultations', 'tracking', 'reports', 'login']) {
        expect(
          keys.filter((key) => new RegExp(`:ratelimit:${scope}:ip:[0-9a-f]{64}$`).test(key)),
        ).not.toEqual([]);
      }
      expect(keys.filter((key) => /\d+\.\d+\.\d+\.\d+|::|127\.0/.test(key))).toEqual([]);
    });
  });
});
