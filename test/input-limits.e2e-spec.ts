import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

const YEAR = new Date().getUTCFullYear();

const draft = (overrides: Record<string, unknown> = {}) => ({
  title: 'Tuyển 12 Nữ đóng gói tại Aichi',
  occupation: 'Đóng gói',
  country: 'JP',
  workLocation: 'Aichi',
  industry: 'packaging',
  program: 'jp_technical_intern',
  openings: 12,
  birthYearFrom: 1990,
  birthYearTo: YEAR - 18,
  salary: { amount: 175000, currency: 'JPY' },
  contractMonths: 36,
  ...overrides,
});

/** `{"a":{"a":…}}` nested `depth` objects deep. */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('hostile input', () => {
  let ctx: TestContext;
  let agency: string;
  let order: string;
  let agencyToken: string;
  let regulatorToken: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    agency = await createAgency(ctx.db, { name: 'Công ty Nhân lực Ánh Dương' });
    await createAgency(ctx.db, { name: 'Công ty Cung ứng Bình Minh' });
    order = await createJobOrder(ctx.db, { agencyId: agency });
    const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    agencyToken = await ctx.login(admin.email, admin.password);
    const regulator = await createUser(ctx.db, { role: 'regulator' });
    regulatorToken = await ctx.login(regulator.email, regulator.password);
  });

  afterAll(async () => {
    await ctx.close();
  });

  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  describe('JSON nested 5,000 deep', () => {
    it.each([
      ['POST /consultations', '/api/v1/consultations'],
      ['POST /auth/login', '/api/v1/auth/login'],
      [`POST /job-orders/{id}/reports`, '/api/v1/job-orders/{order}/reports'],
    ])('is refused with 400 on %s', async (_, path) => {
      const res = await request(ctx.http)
        .post(path.replace('{order}', order))
        .set('Content-Type', 'application/json')
        .send(nested(5000));
      expectProblem(res, 400, 'JSON_TOO_DEEP');
      expect(res.body.detail).toContain('32');
    });

    it('is refused on an authenticated route too, and in arrays', async () => {
      const res = await request(ctx.http)
        .post('/api/v1/agency/job-orders')
        .set('Authorization', `Bearer ${agencyToken}`)
        .set('Content-Type', 'application/json')
        .send(`${'['.repeat(5000)}${']'.repeat(5000)}`);
      expectProblem(res, 400, 'JSON_TOO_DEEP');
    });

    it('refuses a body with too many keys', async () => {
      const keys = Array.from({ length: 2000 }, (_, i) => `"k${i}":1`).join(',');
      const res = await request(ctx.http)
        .post('/api/v1/consultations')
        .set('Content-Type', 'application/json')
        .send(`{${keys}}`);
      expectProblem(res, 400, 'JSON_TOO_MANY_KEYS');
    });

    it('still reads brackets and colons inside strings as text', async () => {
      const res = await request(ctx.http)
        .post(`/api/v1/job-orders/${order}/reports`)
        .send({ reason: 'fake_order', detail: `${'[{:'.repeat(200)} \\" {"a": [1]} }}}]]]` });
      expect(res.status).toBe(202);
    });
  });

  describe('NUL bytes', () => {
    it('in a query: GET /agencies?licenseNumber=a%00b', async () => {
      const res = await request(ctx.http).get('/api/v1/agencies?licenseNumber=a%00b');
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'licenseNumber', message: expect.any(String) }]);
    });

    it('in an order title', async () => {
      const res = await ctx.as(agencyToken).post('/agency/job-orders', draft({ title: 'Tuyển\u0000 12 Nữ' }));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'title', message: expect.any(String) }]);
    });

    it('in the webhook url', async () => {
      const res = await ctx.as(agencyToken).put('/agency/webhook', {
        url: 'https://hooks.example.vn/\u0000leads',
        secret: 'a shared secret, long enough',
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.any(String) }]);
    });

    it("in a regulator's reason", async () => {
      const other = await createAgency(ctx.db);
      const res = await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${other}/license`, { status: 'suspended', reason: 'Vi phạm\u0000' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
      const takedown = await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${order}/takedown`, { reason: '\u0000' });
      expectProblem(takedown, 400, 'VALIDATION_FAILED');
    });

    it('in a nested field, named by its path, in English too', async () => {
      const res = await ctx
        .as(agencyToken)
        .post('/agency/job-orders', draft({ salary: { amount: 1, currency: 'JP\u0000' } }))
        .set('Accept-Language', 'en');
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toContainEqual({
        field: 'salary.currency',
        message: expect.stringMatching(/NUL/),
      });
    });
  });

  describe('half a surrogate pair (found by npm run fuzz)', () => {
    // JSON escapes can carry "\ud800"; validator.js's encodeURI threw on it: a 500 from @IsEmail and @IsUrl.
    const post = (path: string, json: string) =>
      request(ctx.http).post(`/api/v1${path}`).set('content-type', 'application/json').send(json);

    it('in the email of a sign-in', async () => {
      const res = await post('/auth/login', '{"email":"\\ud800","password":"mật khẩu bất kỳ"}');
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toContainEqual({ field: 'email', message: expect.any(String) });
    });

    it('in the website of an agency sign-up', async () => {
      const res = await post(
        '/auth/agency-signup',
        JSON.stringify({
          agencyName: 'Công ty Thử nghiệm',
          licenseNumber: '999/LĐTBXH-GP',
          enterpriseCode: '0109999999',
          email: 'thu-nghiem@example.vn',
          password: 'mật khẩu đủ dài',
        }).replace(/}$/, ',"website":"https://a\\udc00.example.vn"}'),
      );
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['website']);
    });
  });

  describe('null for an optional field', () => {
    it('POST /job-orders/{id}/reports with {"contactPhone": null} is a 400', async () => {
      const res = await request(ctx.http)
        .post(`/api/v1/job-orders/${order}/reports`)
        .send({ reason: 'excessive_fees', contactPhone: null });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'contactPhone', message: expect.any(String) }]);
    });

    it('null for the detail of a report is a 400', async () => {
      const res = await request(ctx.http)
        .post(`/api/v1/job-orders/${order}/reports`)
        .send({ reason: 'fake_order', detail: null });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'detail', message: expect.any(String) }]);
    });

    it('null for the gender of a consultation request (its fast validation path) is a 400', async () => {
      const res = await request(ctx.http).post('/api/v1/consultations').send({
        jobOrderId: order,
        fullName: 'Phạm Thị Dung',
        phone: '0966000001',
        province: 'Hà Nội',
        birthYear: 1999,
        gender: null,
        consent: true,
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'gender', message: expect.any(String) }]);
    });

    it('an absent optional field is still fine', async () => {
      await request(ctx.http)
        .post(`/api/v1/job-orders/${order}/reports`)
        .send({ reason: 'excessive_fees' })
        .expect(202);
    });
  });

  describe('LIKE wildcards are data', () => {
    it.each(['_', '%', '\\', '%%', 'Ánh_Dương'])(
      'GET /agencies?q=%s matches no agency by accident',
      async (q) => {
        const { body } = await request(ctx.http).get('/api/v1/agencies').query({ q }).expect(200);
        expect(body.items).toEqual([]);
      },
    );

    it('a literal word still matches', async () => {
      const { body } = await request(ctx.http).get('/api/v1/agencies').query({ q: 'anh duong' }).expect(200);
      expect(body.items.map((item: { name: string }) => item.name)).toEqual(['Công ty Nhân lực Ánh Dương']);
    });
  });
});
