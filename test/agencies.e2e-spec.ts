import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder } from './helpers/factories';

describe('agencies and reference data', () => {
  let ctx: TestContext;
  let active: string;
  let suspended: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    active = await createAgency(ctx.db, {
      name: 'Công ty Cổ phần Đặng Gia Quốc tế',
      licenseNumber: 'TEST-301/LĐTBXH-GP',
      provinceCode: 'bac-ninh',
    });
    suspended = await createAgency(ctx.db, {
      name: 'Công ty TNHH Sao Băng',
      licenseNumber: 'TEST-302/LĐTBXH-GP',
      licenseStatus: 'suspended',
      provinceCode: 'ho-chi-minh',
    });
    await createJobOrder(ctx.db, { agencyId: active });
    await createJobOrder(ctx.db, { agencyId: active, publicationStatus: 'draft' });
    await createJobOrder(ctx.db, { agencyId: suspended });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const lookup = async (query: Record<string, string>) =>
    (await request(ctx.http).get('/api/v1/agencies').query(query).expect(200)).body.items.map(
      (item: { id: string }) => item.id,
    );

  it('looks a licence up by number and shows its status even when not active', async () => {
    const { body } = await request(ctx.http)
      .get('/api/v1/agencies')
      .query({ licenseNumber: 'test-302/lđtbxh-gp' })
      .expect(200);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: suspended,
      licenseStatus: 'suspended',
      name: 'Công ty TNHH Sao Băng',
    });
  });

  it('searches names without diacritics', async () => {
    expect(await lookup({ q: 'dang gia' })).toEqual([active]);
  });

  it.each([
    ['the new name', 'Bắc Ninh'],
    ['an old name merged into it', 'Bắc Giang'],
    ['an old name without diacritics', 'bac giang'],
  ])('filters by head-office province given as %s', async (_, province) => {
    expect(await lookup({ province })).toEqual([active]);
  });

  it('maps the old Bình Dương and the nickname "Sài Gòn" to TP. Hồ Chí Minh', async () => {
    expect(await lookup({ province: 'Bình Dương' })).toEqual([suspended]);
    expect(await lookup({ province: 'Sài Gòn' })).toEqual([suspended]);
  });

  it('rejects an unknown province naming the field', async () => {
    const { body } = await request(ctx.http)
      .get('/api/v1/agencies')
      .query({ province: 'Atlantis' })
      .expect(400);
    expect(body.errors).toEqual([{ field: 'province', message: 'Không tìm thấy tỉnh/thành phố này' }]);
  });

  it('shows a profile with the number of public orders', async () => {
    const { body } = await request(ctx.http).get(`/api/v1/agencies/${active}`).expect(200);
    expect(body).toMatchObject({
      id: active,
      openOrders: 1,
      province: { code: 'bac-ninh', name: 'Bắc Ninh' },
    });
    const other = await request(ctx.http).get(`/api/v1/agencies/${suspended}`).expect(200);
    expect(other.body).toMatchObject({ licenseStatus: 'suspended', openOrders: 0 });
  });

  it('answers 404 for an unknown agency', async () => {
    await request(ctx.http).get('/api/v1/agencies/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('pages through agencies without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await createAgency(ctx.db, { name: `Công ty Trang ${i % 3}` });
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const { body } = await request(ctx.http)
        .get('/api/v1/agencies')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      all.push(...body.items.map((item: { id: string }) => item.id));
      cursor = body.nextCursor ?? undefined;
    } while (cursor);
    const { rows } = await ctx.db.query<{ id: string }>('SELECT id FROM agencies');
    expect(all).toHaveLength(rows.length);
    expect(new Set(all)).toEqual(new Set(rows.map((row) => row.id)));
  });

  describe('reference data', () => {
    it('lists the 34 provinces in force since 1 July 2025', async () => {
      const { body } = await request(ctx.http).get('/api/v1/reference/provinces').expect(200);
      expect(body.items).toHaveLength(34);
      expect(body.items).toContainEqual({ code: 'hue', nameVi: 'Huế', nameEn: 'Hue' });
    });

    it('maps every one of the 63 former provinces to one of the 34', async () => {
      const { rows } = await ctx.db.query<{ provinces: number }>(
        `SELECT count(DISTINCT province_code)::int AS provinces FROM province_aliases`,
      );
      expect(rows[0].provinces).toBe(34);
      const { body } = await request(ctx.http)
        .get('/api/v1/agencies')
        .query({ province: 'Hà Giang' })
        .expect(200);
      expect(body.items).toEqual([]);
    });

    it('lists countries, industries and programs with Vietnamese and English names', async () => {
      const countries = await request(ctx.http).get('/api/v1/reference/countries').expect(200);
      expect(countries.body.items).toContainEqual({
        code: 'JP',
        nameVi: 'Nhật Bản',
        nameEn: 'Japan',
        region: 'east_asia',
      });
      const industries = await request(ctx.http).get('/api/v1/reference/industries').expect(200);
      expect(industries.body.items.map((i: { code: string }) => i.code)).toContain('food_processing');
      const programs = await request(ctx.http).get('/api/v1/reference/programs').expect(200);
      expect(programs.body.items).toContainEqual(expect.objectContaining({ code: 'kr_eps', country: 'KR' }));
    });
  });

  describe('operations', () => {
    it('reports liveness and readiness of Postgres and Redis', async () => {
      await request(ctx.http).get('/api/v1/health/live').expect(200, { status: 'ok' });
      const { body } = await request(ctx.http).get('/api/v1/health/ready').expect(200);
      expect(body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
    });

    it('exposes Prometheus metrics by route pattern', async () => {
      await request(ctx.http).get('/api/v1/agencies').expect(200);
      const { text } = await request(ctx.http).get('/metrics').expect(200);
      expect(text).toMatch(
        /xkld_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/agencies",status="200"\}/,
      );
    });

    it('publishes the OpenAPI document', async () => {
      const { body } = await request(ctx.http).get('/api/docs-json').expect(200);
      expect(Object.keys(body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/job-orders', '/api/v1/agencies/{id}']),
      );
    });

    it('answers unknown routes with problem+json', async () => {
      const missing = await request(ctx.http).get('/api/v1/nowhere').expect(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.body.code).toBe('NOT_FOUND');
    });
  });
});
