import { randomInt, randomUUID } from 'node:crypto';

import request from 'supertest';

import { PersonalDataCipher } from '@app/core';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

type Caller = 'anonymous' | 'agencyA' | 'staffA' | 'agencyB' | 'regulator' | 'admin';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Route {
  /** Roles the contract lets through; everyone else with a token gets 403. */
  allowed: Caller[];
  /** A fresh object of agency A's (or the one the route acts on) and a valid body, for one call. */
  prepare: () => { id?: string; body?: object } | Promise<{ id?: string; body?: object }>;
  /** Tenant-owned object: another agency gets 404 and leaves it untouched. */
  ownedByA?: boolean;
}

const AGENCY: Caller[] = ['agencyA', 'staffA'];
const ALL: Caller[] = ['anonymous', 'agencyA', 'staffA', 'agencyB', 'regulator', 'admin'];

/**
 * Walks every /agency/*, /regulator/* and /admin/* route of the published OpenAPI document with every kind
 * of caller: only the owner and the roles the contract allows get 2xx, another agency gets 404 on A's
 * objects (and none of A's data in its lists), anonymous 401, a wrong role 403.
 */
describe('authorisation matrix', () => {
  let ctx: TestContext;
  let agencyA: string;
  let agencyB: string;
  const tokens = {} as Record<Exclude<Caller, 'anonymous'>, string>;
  let cipher: PersonalDataCipher;

  const login = async (role: string, agencyId?: string) => {
    const user = await createUser(ctx.db, { role, agencyId });
    const { body } = await request(ctx.http)
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    return body.accessToken as string;
  };
  const order = (registrationStatus: string, publicationStatus: string) =>
    createJobOrder(ctx.db, { agencyId: agencyA, registrationStatus, publicationStatus });
  const lead = async () => {
    const id = randomUUID();
    const phone = `+8491${String(randomInt(1e7)).padStart(7, '0')}`;
    await ctx.db.query(
      `INSERT INTO consultation_requests (id, tracking_code, job_order_id, agency_id, full_name_encrypted,
         phone_encrypted, phone_hash, province_code, birth_year, status, assigned_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'nghe-an', 1999, 'assigned', now())`,
      [
        id,
        randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase(),
        await order('approved', 'published'),
        agencyA,
        cipher.encrypt('Trần Văn Bình'),
        cipher.encrypt(phone),
        cipher.lookupHash(phone),
      ],
    );
    return id;
  };
  const flag = async () => {
    const jobOrderId = await order('approved', 'published');
    const { rows } = await ctx.db.query(
      `INSERT INTO flags (source, job_order_id, agency_id, code, fingerprint)
       VALUES ('report', $1, $2, 'REPORT', $3) RETURNING id`,
      [jobOrderId, agencyA, `report:${randomUUID()}`],
    );
    return rows[0].id as string;
  };
  const webhooks = async () => {
    for (const agency of [agencyA, agencyB]) {
      await ctx.db.query(
        `INSERT INTO agency_webhooks (agency_id, url, secret_encrypted) VALUES ($1, 'http://127.0.0.1:9/hooks', $2)
         ON CONFLICT (agency_id) DO NOTHING`,
        [agency, cipher.encrypt('a shared secret, long enough')],
      );
    }
    return {};
  };
  const draftBody = {
    title: 'Tuyển 12 Nữ đóng gói tại Aichi',
    occupation: 'Đóng gói',
    country: 'JP',
    workLocation: 'Aichi',
    industry: 'packaging',
    program: 'jp_technical_intern',
    openings: 12,
    birthYearFrom: 1990,
    birthYearTo: 2004,
    salary: { amount: 175000, currency: 'JPY' },
    contractMonths: 36,
  };

  const ROUTES: Record<string, Route> = {
    'get /api/v1/agency/consultations': { allowed: AGENCY, prepare: async () => ({ id: await lead() }) },
    'patch /api/v1/agency/consultations/{id}': {
      allowed: AGENCY,
      ownedByA: true,
      prepare: async () => ({ id: await lead(), body: { status: 'contacted' } }),
    },
    'put /api/v1/agency/webhook': {
      allowed: ['agencyA'],
      prepare: () => ({
        body: { url: 'http://127.0.0.1:9/hooks', secret: 'a shared secret, long enough' },
      }),
    },
    'get /api/v1/agency/webhook': { allowed: AGENCY, prepare: () => ({}) },
    'get /api/v1/agency/profile': { allowed: AGENCY, prepare: () => ({}) },
    'patch /api/v1/agency/profile': {
      allowed: ['agencyA'],
      prepare: () => ({ body: { website: `https://a${randomInt(1e6)}.example.vn` } }),
    },
    // Both agencies have a webhook (where nothing listens): each tests its own.
    'post /api/v1/agency/webhook/test': { allowed: ['agencyA'], prepare: () => webhooks() },
    'post /api/v1/agency/webhook/redeliver': { allowed: ['agencyA'], prepare: () => webhooks() },
    'get /api/v1/agency/job-orders': {
      allowed: AGENCY,
      prepare: async () => ({ id: await order('draft', 'draft') }),
    },
    'post /api/v1/agency/job-orders': { allowed: AGENCY, prepare: () => ({ body: draftBody }) },
    'get /api/v1/agency/job-orders/{id}': {
      allowed: AGENCY,
      ownedByA: true,
      prepare: async () => ({ id: await order('draft', 'draft') }),
    },
    'patch /api/v1/agency/job-orders/{id}': {
      allowed: AGENCY,
      ownedByA: true,
      prepare: async () => ({ id: await order('draft', 'draft'), body: { title: 'Tiêu đề đã sửa lại' } }),
    },
    'post /api/v1/agency/job-orders/{id}/submit': {
      allowed: AGENCY,
      ownedByA: true,
      prepare: async () => ({ id: await order('draft', 'draft') }),
    },
    'post /api/v1/agency/job-orders/{id}/publish': {
      allowed: AGENCY,
      ownedByA: true,
      prepare: async () => ({ id: await order('approved', 'draft') }),
    },
    'post /api/v1/agency/job-orders/{id}/close': {
      allowed: AGENCY,
      ownedByA: true,
      prepare: async () => ({ id: await order('approved', 'published') }),
    },
    'post /api/v1/agency/departure-reports': {
      allowed: AGENCY,
      prepare: () => ({
        body: { month: `20${10 + randomInt(13)}-0${1 + randomInt(9)}`, country: 'JP', total: 5, women: 2 },
      }),
    },
    'get /api/v1/agency/departure-reports': { allowed: AGENCY, prepare: () => ({}) },

    'get /api/v1/regulator/agencies': { allowed: ['regulator'], prepare: () => ({}) },
    'post /api/v1/regulator/agencies/{id}/license': {
      allowed: ['regulator'],
      prepare: async () => ({
        id: await createAgency(ctx.db),
        body: { status: 'suspended', reason: 'Kiểm tra' },
      }),
    },
    'get /api/v1/regulator/job-orders': { allowed: ['regulator'], prepare: () => ({}) },
    'post /api/v1/regulator/job-orders/{id}/registration': {
      allowed: ['regulator'],
      prepare: async () => ({
        id: await order('submitted', 'draft'),
        body: { decision: 'source_preparation' },
      }),
    },
    'post /api/v1/regulator/job-orders/{id}/takedown': {
      allowed: ['regulator'],
      prepare: async () => ({ id: await order('approved', 'published'), body: { reason: 'Sai sự thật' } }),
    },
    'get /api/v1/regulator/flags': { allowed: ['regulator'], prepare: () => ({}) },
    'get /api/v1/regulator/recruiter-reports': { allowed: ['regulator'], prepare: () => ({}) },
    'post /api/v1/regulator/flags/{id}/resolve': {
      allowed: ['regulator'],
      prepare: async () => ({ id: await flag(), body: { decision: 'dismissed', note: 'Không có cơ sở' } }),
    },
    'post /api/v1/regulator/recruitment-suspensions': {
      allowed: ['regulator'],
      prepare: () => ({
        body: { country: 'KR', provinces: ['Nghệ An'], from: '2030-01-01', to: '2030-06-30', reason: 'Thử' },
      }),
    },
    'get /api/v1/regulator/recruitment-suspensions': { allowed: ['regulator'], prepare: () => ({}) },
    'delete /api/v1/regulator/recruitment-suspensions/{id}': {
      allowed: ['regulator'],
      prepare: async () => {
        const { rows } = await ctx.db.query(
          `INSERT INTO recruitment_suspensions (country_code, province_codes, starts_on, ends_on, reason)
           VALUES ('KR', '{nghe-an}', '2030-01-01', '2030-06-30', 'Thử') RETURNING id`,
        );
        return { id: rows[0].id };
      },
    },
    'get /api/v1/regulator/audit-log': { allowed: ['regulator'], prepare: () => ({}) },
    'get /api/v1/regulator/audit-log/verify': { allowed: ['regulator'], prepare: () => ({}) },

    'post /api/v1/admin/users': {
      allowed: ['admin'],
      prepare: () => ({
        body: { email: `u${randomInt(1e9)}@example.vn`, password: 'một mật khẩu dài', role: 'regulator' },
      }),
    },
    'get /api/v1/admin/users': { allowed: ['admin'], prepare: () => ({}) },
    'patch /api/v1/admin/users/{id}': {
      allowed: ['admin'],
      prepare: async () => ({
        id: (await createUser(ctx.db, { role: 'regulator' })).id,
        body: { disabled: true },
      }),
    },
    'put /api/v1/admin/exchange-rates': {
      allowed: ['admin'],
      prepare: () => ({ body: { rates: { JPY: 170 } } }),
    },
  };

  const call = (caller: Caller, method: Method, path: string, id: string | undefined, body?: object) => {
    const url = id ? path.replace('{id}', id) : path;
    const req = request(ctx.http)[method](url);
    if (caller !== 'anonymous') req.set('Authorization', `Bearer ${tokens[caller]}`);
    return body ? req.send(body) : req;
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
    cipher = ctx.api.get(PersonalDataCipher);
    agencyA = await createAgency(ctx.db, { name: 'Công ty A' });
    agencyB = await createAgency(ctx.db, { name: 'Công ty B' });
    tokens.agencyA = await login('agency_admin', agencyA);
    tokens.staffA = await login('agency_staff', agencyA);
    tokens.agencyB = await login('agency_admin', agencyB);
    tokens.regulator = await login('regulator');
    tokens.admin = await login('admin');
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('has an entry for every protected route the server publishes', async () => {
    const { body } = await request(ctx.http).get('/api/docs-json').expect(200);
    const published = Object.entries(body.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => /^\/api\/v1\/(agency|regulator|admin)\//.test(path))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(published.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  describe.each(Object.keys(ROUTES))('%s', (key) => {
    const [method, path] = key.split(' ') as [Method, string];
    const route = ROUTES[key];

    it('answers anonymous 401 and every role outside the contract 403', async () => {
      const { id, body } = await route.prepare();
      const anonymous = await call('anonymous', method, path, id, body);
      expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);
      for (const caller of ALL.filter((c) => c !== 'anonymous' && !route.allowed.includes(c))) {
        if (caller === 'agencyB' && route.allowed.includes('agencyA')) continue;
        const response = await call(caller, method, path, id, body);
        expect([caller, response.status, response.body.code]).toEqual([caller, 403, 'FORBIDDEN']);
      }
    });

    if (route.allowed.includes('agencyA')) {
      it(
        route.ownedByA
          ? "answers another agency 404 on A's object and leaves it to its owner"
          : "never shows another agency A's data",
        async () => {
          const { id, body } = await route.prepare();
          const other = await call('agencyB', method, path, id, body);
          if (route.ownedByA) {
            expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND']);
            expect(JSON.stringify(other.body)).not.toContain(id);
          } else {
            expect(other.status).toBeLessThan(300);
            if (id) expect(JSON.stringify(other.body)).not.toContain(id);
          }
          const owner = await call('agencyA', method, path, id, body);
          expect([owner.status < 300, owner.headers['content-type'] ?? '']).toEqual([
            true,
            expect.not.stringMatching(/problem/),
          ]);
          if (id && method === 'get') expect(JSON.stringify(owner.body)).toContain(id);
        },
      );
    }

    it.each(route.allowed)('lets %s through', async (caller) => {
      const { id, body } = await route.prepare();
      const response = await call(caller, method, path, id, body);
      expect([
        response.status >= 200 && response.status < 300,
        response.headers['content-type'] ?? '',
      ]).toEqual([true, expect.not.stringMatching(/problem/)]);
    });
  });

  it('keeps agency B out of A’s objects in the database too', async () => {
    const { rows } = await ctx.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor_role = 'agency_admin' AND after->>'agencyId' = $1
         AND actor_id IN (SELECT id FROM users WHERE agency_id = $2)`,
      [agencyA, agencyB],
    );
    expect(rows[0].n).toBe(0);
  });
});
