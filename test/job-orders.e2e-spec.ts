import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

interface Item {
  id: string;
  title: string;
  views: number;
  salaryVndEstimate: number;
  publishedAt: string;
}

describe('GET /api/v1/job-orders', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const ids = (items: Item[]) => items.map((item) => item.id).sort();
  const search = async (query: Record<string, string | number>) => {
    const response = await request(ctx.http).get('/api/v1/job-orders').query(query).expect(200);
    return response.body as { items: Item[]; nextCursor: string | null };
  };

  describe('text search', () => {
    let foodOrder: string;
    let dangOrder: string;

    beforeAll(async () => {
      const agency = await createAgency(ctx.db, { name: 'Công ty Nhân lực Hà Thành' });
      const dang = await createAgency(ctx.db, { name: 'Công ty TNHH Đặng Gia' });
      foodOrder = await createJobOrder(ctx.db, { agencyId: agency, title: 'Chế biến thực phẩm tại Gunma' });
      dangOrder = await createJobOrder(ctx.db, {
        agencyId: dang,
        title: 'Lắp ráp ô tô',
        workLocation: 'Aichi',
      });
      await createJobOrder(ctx.db, { agencyId: agency, title: 'Xây dựng dân dụng', workLocation: 'Tokyo' });
    });

    it.each([
      ['without diacritics', 'che bien thuc pham'],
      ['with diacritics, in NFC', 'Chế biến thực phẩm'],
      ['in NFD', 'Chế biến thực phẩm'.normalize('NFD')],
      ['in capitals, words reordered', 'THỰC PHẨM CHẾ BIẾN'],
      ['with another word of the title', 'chế biến thực phẩm gunma'],
    ])('finds "Chế biến thực phẩm" %s', async (_, q) => {
      expect(ids((await search({ q })).items)).toEqual([foodOrder]);
    });

    it('matches old and new tone placement alike ("thuỷ" and "thủy")', async () => {
      const agency = await createAgency(ctx.db);
      const seafood = await createJobOrder(ctx.db, { agencyId: agency, title: 'Chế biến thủy sản Nga' });
      expect(ids((await search({ q: 'thuỷ sản' })).items)).toEqual([seafood]);
    });

    it('finds "Đặng" from "dang" through the agency name', async () => {
      expect(ids((await search({ q: 'dang' })).items)).toEqual([dangOrder]);
    });

    it('searches the work location, and punctuation separates words', async () => {
      expect(ids((await search({ q: 'aichi' })).items)).toEqual([dangOrder]);
      expect(ids((await search({ q: 'che_bien, gunma!' })).items)).toEqual([foodOrder]);
    });

    it('finds nothing for words that appear nowhere', async () => {
      expect((await search({ q: 'Hungary' })).items).toEqual([]);
    });
  });

  describe('text search over many orders', () => {
    it('finds rare words beyond the newest thousand orders, and pages dense words correctly', async () => {
      const agency = await createAgency(ctx.db, { name: 'Công ty Khối lượng' });
      const rare = await createJobOrder(ctx.db, {
        agencyId: agency,
        title: 'Đơn hiếm Zanzibar',
        publishedAt: new Date('2020-01-01T00:00:00Z'),
      });
      await ctx.db.query(
        `INSERT INTO job_orders (agency_id, title, occupation, country_code, work_location, industry_code, program_code,
           openings, birth_year_from, birth_year_to, salary_amount, salary_currency, salary_vnd_estimate,
           contract_months, total_cost_vnd, registration_status, publication_status, published_at)
         SELECT $1, 'Đơn đại trà số ' || i, 'bulkword', 'JP', 'Osaka', 'manufacturing', 'jp_technical_intern', 5,
           1980, 2000, 180000, 'JPY', 30000000, 36, 0, 'approved', 'published',
           timestamptz '2025-01-01' + make_interval(mins => i)
         FROM generate_series(1, 2100) AS i`,
        [agency],
      );
      expect(ids((await search({ q: 'zanzibar' })).items)).toEqual([rare]);

      const first = await search({ q: 'bulkword', limit: 3 });
      expect(first.items.map((item) => item.title)).toEqual([
        'Đơn đại trà số 2100',
        'Đơn đại trà số 2099',
        'Đơn đại trà số 2098',
      ]);
      const second = await search({ q: 'bulkword', limit: 3, cursor: first.nextCursor! });
      expect(second.items.map((item) => item.title)).toEqual([
        'Đơn đại trà số 2097',
        'Đơn đại trà số 2096',
        'Đơn đại trà số 2095',
      ]);
    });
  });

  describe('filters', () => {
    let agencyA: string;
    let agencyB: string;
    const orders: Record<string, string> = {};

    beforeAll(async () => {
      agencyA = await createAgency(ctx.db, { name: 'Công ty Lọc A' });
      agencyB = await createAgency(ctx.db, { name: 'Công ty Lọc B' });
      const base = { title: 'Đơn lọc', occupation: 'filtertest' };
      orders.jpMale = await createJobOrder(ctx.db, {
        ...base,
        agencyId: agencyA,
        country: 'JP',
        industry: 'food_processing',
        program: 'jp_technical_intern',
        gender: 'male',
        birthYearFrom: 1990,
        birthYearTo: 2000,
        salaryVndEstimate: 30_000_000,
        serviceFeeVnd: 60_000_000,
      });
      orders.twFemale = await createJobOrder(ctx.db, {
        ...base,
        agencyId: agencyA,
        country: 'TW',
        industry: 'electronics',
        program: 'tw_worker',
        gender: 'female',
        birthYearFrom: 1985,
        birthYearTo: 2004,
        salaryVndEstimate: 22_000_000,
        serviceFeeVnd: 40_000_000,
        depositVnd: 12_000_000,
      });
      orders.huAny = await createJobOrder(ctx.db, {
        ...base,
        agencyId: agencyB,
        country: 'HU',
        industry: 'manufacturing',
        program: 'eu_work_permit',
        gender: 'any',
        birthYearFrom: 1974,
        birthYearTo: 2006,
        salaryVndEstimate: 29_500_000,
        serviceFeeVnd: 25_000_000,
      });
    });

    it.each([
      ['country', { country: 'JP' }, ['jpMale']],
      ['country in lower case', { country: 'tw' }, ['twFemale']],
      ['industry', { industry: 'manufacturing' }, ['huAny']],
      ['program', { program: 'tw_worker' }, ['twFemale']],
      ['gender male (orders open to men)', { gender: 'male' }, ['jpMale', 'huAny']],
      ['gender female', { gender: 'female' }, ['twFemale', 'huAny']],
      ['birth year at the lower bound', { birthYear: 1985 }, ['twFemale', 'huAny']],
      ['birth year at the upper bound', { birthYear: 2000 }, ['jpMale', 'twFemale', 'huAny']],
      ['birth year outside every range but one', { birthYear: 2006 }, ['huAny']],
      ['minimum salary at a boundary', { salaryMinVnd: 29_500_000 }, ['jpMale', 'huAny']],
      ['minimum salary one đồng over', { salaryMinVnd: 29_500_001 }, ['jpMale']],
      ['maximum cost at a boundary', { maxCostVnd: 52_000_000 }, ['twFemale', 'huAny']],
      ['maximum cost one đồng under', { maxCostVnd: 51_999_999 }, ['huAny']],
      ['several filters together', { country: 'HU', gender: 'female', birthYear: 1974 }, ['huAny']],
    ])('filters by %s', async (_, query, expected) => {
      const result = await search({ q: 'filtertest', ...query });
      expect(ids(result.items)).toEqual(expected.map((key) => orders[key]).sort());
    });

    it('filters by agency', async () => {
      expect(ids((await search({ agencyId: agencyB })).items)).toEqual([orders.huAny]);
    });
  });

  describe('keyset pagination', () => {
    const created: string[] = [];

    beforeAll(async () => {
      const agency = await createAgency(ctx.db, { name: 'Công ty Phân trang' });
      const start = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < 23; i++) {
        created.push(
          await createJobOrder(ctx.db, {
            agencyId: agency,
            occupation: 'pagetest',
            // Ties on every sort key, so the id tie-breaker is exercised.
            publishedAt: new Date(start + Math.floor(i / 3) * 60_000),
            salaryVndEstimate: 20_000_000 + (i % 4) * 1_000_000,
            views: i % 5,
          }),
        );
      }
    });

    it.each(['newest', 'salary', 'popular'])(
      'pages sorted by %s are disjoint, complete and ordered',
      async (sort) => {
        const seen: Item[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await search({ q: 'pagetest', sort, limit: 5, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(5);
          seen.push(...page.items);
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 10);

        expect(pages).toBe(5);
        expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);
        expect(ids(seen)).toEqual([...created].sort());
        const key = (item: Item) =>
          sort === 'newest'
            ? Date.parse(item.publishedAt)
            : sort === 'salary'
              ? item.salaryVndEstimate
              : item.views;
        for (let i = 1; i < seen.length; i++) {
          expect(key(seen[i - 1])).toBeGreaterThanOrEqual(key(seen[i]));
        }
      },
    );

    it('rejects a cursor from another sort order', async () => {
      const first = await search({ q: 'pagetest', sort: 'newest', limit: 5 });
      const response = await request(ctx.http)
        .get('/api/v1/job-orders')
        .query({ q: 'pagetest', sort: 'salary', cursor: first.nextCursor! })
        .expect(400);
      expect(response.body.code).toBe('INVALID_CURSOR');
    });
  });

  describe('visibility', () => {
    it('hides orders of agencies that are not active, and orders that are not published', async () => {
      const active = await createAgency(ctx.db);
      const visible = await createJobOrder(ctx.db, { agencyId: active, occupation: 'visibilitytest' });
      const hidden = [
        await createJobOrder(ctx.db, {
          agencyId: active,
          occupation: 'visibilitytest',
          publicationStatus: 'draft',
        }),
        await createJobOrder(ctx.db, {
          agencyId: active,
          occupation: 'visibilitytest',
          publicationStatus: 'closed',
        }),
        await createJobOrder(ctx.db, {
          agencyId: active,
          occupation: 'visibilitytest',
          publicationStatus: 'taken_down',
        }),
      ];
      for (const status of ['suspended', 'revoked', 'pending_verification', 'expired']) {
        const agency = await createAgency(ctx.db, { licenseStatus: status });
        hidden.push(await createJobOrder(ctx.db, { agencyId: agency, occupation: 'visibilitytest' }));
      }

      expect(ids((await search({ q: 'visibilitytest' })).items)).toEqual([visible]);
      await request(ctx.http).get(`/api/v1/job-orders/${visible}`).expect(200);
      for (const id of hidden) {
        const response = await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(404);
        expect(response.body.code).toBe('NOT_FOUND');
      }
    });

    it('hides every listing the moment an agency is suspended', async () => {
      const agency = await createAgency(ctx.db);
      const order = await createJobOrder(ctx.db, { agencyId: agency, occupation: 'suspendtest' });
      expect(ids((await search({ q: 'suspendtest' })).items)).toEqual([order]);
      await ctx.db.query(`UPDATE agencies SET license_status = 'suspended' WHERE id = $1`, [agency]);
      expect((await search({ q: 'suspendtest' })).items).toEqual([]);
    });
  });

  describe('one order', () => {
    it('shows the order with its agency licence and registration', async () => {
      const agency = await createAgency(ctx.db, {
        name: 'Công ty Chi tiết',
        licenseNumber: 'TEST-777/LĐTBXH-GP',
      });
      const id = await createJobOrder(ctx.db, {
        agencyId: agency,
        title: 'Kỹ sư CNC tại Osaka',
        registrationStatus: 'source_preparation',
        salaryAmount: 230000,
      });
      const { body } = await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(200);
      expect(body).toMatchObject({
        id,
        title: 'Kỹ sư CNC tại Osaka',
        salary: { amount: 230000, currency: 'JPY' },
        agency: {
          id: agency,
          name: 'Công ty Chi tiết',
          licenseNumber: 'TEST-777/LĐTBXH-GP',
          licenseStatus: 'active',
        },
        registration: { status: 'source_preparation', feeCollectionAllowed: false },
      });
    });

    it('shows the legal caps at the configured rates and whether the order keeps within them', async () => {
      const agency = await createAgency(ctx.db);
      // A Taiwan home caregiver on 36 months: at most 1 month of base salary as service fee, 12,000,000 đồng
      // of deposit. 20,000 TWD at the configured rate of 800 VND is 16,000,000 đồng.
      const caregiver = (serviceFeeVnd: number, depositVnd: number) =>
        createJobOrder(ctx.db, {
          agencyId: agency,
          country: 'TW',
          program: 'tw_home_caregiver',
          industry: 'home_caregiving',
          salaryAmount: 20000,
          salaryCurrency: 'TWD',
          serviceFeeVnd,
          depositVnd,
        });
      const compliance = async (id: string) =>
        (await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(200)).body.compliance;

      expect(await compliance(await caregiver(16_000_000, 12_000_000))).toEqual({
        serviceFeeCapVnd: 16_000_000,
        depositCapVnd: 12_000_000,
        withinCaps: true,
      });
      expect((await compliance(await caregiver(16_000_001, 12_000_000))).withinCaps).toBe(false);
      expect((await compliance(await caregiver(16_000_000, 12_000_001))).withinCaps).toBe(false);
    });

    it('lets an admin set exchange rates: salary estimates and caps follow, anyone else is refused', async () => {
      const agency = await createAgency(ctx.db);
      // Hungary, 36 months: at most 3 months of base salary. 300,000 HUF at 75 VND is 22,500,000 đồng.
      const id = await createJobOrder(ctx.db, {
        agencyId: agency,
        country: 'HU',
        program: 'eu_work_permit',
        salaryAmount: 300000,
        salaryCurrency: 'HUF',
        salaryVndEstimate: 22_500_000,
        serviceFeeVnd: 70_000_000,
      });
      const detail = async () => (await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(200)).body;
      expect((await detail()).compliance).toMatchObject({ serviceFeeCapVnd: 67_500_000, withinCaps: false });

      const login = async (role: string) => {
        const { email, password } = await createUser(ctx.db, { role });
        const { body } = await request(ctx.http)
          .post('/api/v1/auth/login')
          .send({ email, password })
          .expect(200);
        return `Bearer ${body.accessToken}`;
      };
      const put = (authorization: string, rates: Record<string, unknown>) =>
        request(ctx.http)
          .put('/api/v1/admin/exchange-rates')
          .set('Authorization', authorization)
          .send({ rates });
      const admin = await login('admin');

      const saved = await put(admin, { HUF: 80 }).expect(200);
      expect(saved.body.rates).toMatchObject({ HUF: 80, JPY: 170 });
      // 300,000 HUF at 80 VND is 24,000,000 đồng: the fee of 70,000,000 is now within 3 months.
      expect(await detail()).toMatchObject({
        salaryVndEstimate: 24_000_000,
        compliance: { serviceFeeCapVnd: 72_000_000, withinCaps: true },
      });
      const { rows: audit } = await ctx.db.query(
        `SELECT actor_role, before, after FROM audit_log WHERE action = 'exchange_rates.set'`,
      );
      expect(audit).toEqual([{ actor_role: 'admin', before: { HUF: 75 }, after: { HUF: 80 } }]);

      const invalid = await put(admin, { HUF: -1, usd: 26000, EUR: 1.23456 }).expect(400);
      expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'rates.EUR',
        'rates.HUF',
        'rates.usd',
      ]);
      await put(await login('regulator'), { HUF: 1 }).expect(403);
      await request(ctx.http)
        .put('/api/v1/admin/exchange-rates')
        .send({ rates: { HUF: 1 } })
        .expect(401);
      expect((await detail()).salaryVndEstimate).toBe(24_000_000);
    });

    it('answers 404 problem+json for an id that is not a uuid', async () => {
      const response = await request(ctx.http).get('/api/v1/job-orders/not-an-id').expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('invalid queries', () => {
    it.each([
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ sort: 'price' }, 'sort'],
      [{ gender: 'other' }, 'gender'],
      [{ birthYear: 'abc' }, 'birthYear'],
      [{ country: 'JPN' }, 'country'],
      [{ agencyId: 'nope' }, 'agencyId'],
      [{ salaryMinVnd: -1 }, 'salaryMinVnd'],
      [{ q: 'x'.repeat(101) }, 'q'],
      [{ hack: '1' }, 'hack'],
    ])('rejects %j as problem+json naming the field', async (query, field) => {
      const response = await request(ctx.http).get('/api/v1/job-orders').query(query).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('rejects a forged cursor', async () => {
      const response = await request(ctx.http)
        .get('/api/v1/job-orders')
        .query({ cursor: 'bm90LWpzb24' })
        .expect(400);
      expect(response.body.code).toBe('INVALID_CURSOR');
    });

    it('speaks Vietnamese by default and English on request', async () => {
      const vi = await request(ctx.http).get('/api/v1/job-orders').query({ limit: 0 }).expect(400);
      expect(vi.body.title).toBe('Dữ liệu không hợp lệ');
      const en = await request(ctx.http)
        .get('/api/v1/job-orders')
        .set('Accept-Language', 'en-US,en;q=0.9,vi;q=0.5')
        .query({ limit: 0 })
        .expect(400);
      expect(en.body.title).toBe('Invalid input');
    });
  });

  describe('view counts', () => {
    it('counts views in Redis and the worker flushes them to Postgres', async () => {
      const agency = await createAgency(ctx.db);
      const id = await createJobOrder(ctx.db, { agencyId: agency, views: 10 });
      for (let i = 0; i < 3; i++) await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(200);

      const views = await ctx.waitFor(
        async () => {
          const { rows } = await ctx.db.query<{ views: string }>(
            `SELECT views FROM job_orders WHERE id = $1`,
            [id],
          );
          return Number(rows[0].views) === 13 ? 13 : undefined;
        },
        10_000,
        'views to reach Postgres',
      );
      expect(views).toBe(13);
      const { body } = await request(ctx.http)
        .get('/api/v1/job-orders')
        .query({ agencyId: agency })
        .expect(200);
      expect(body.items[0].views).toBe(13);
    });
  });
});
