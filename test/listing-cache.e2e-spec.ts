import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { AGENCY_LICENSE_CHANGED } from '@app/agencies';
import { Caches } from '@app/core';

import { createApiApp } from '../apps/api/src/bootstrap';
import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

describe('listing cache', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { LISTING_CACHE_TTL_SECONDS: '60' } });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const titles = async (q: string) =>
    (await request(ctx.http).get('/api/v1/job-orders').query({ q }).expect(200)).body.items.map(
      (item: { title: string }) => item.title,
    );

  it('serves a repeated page from Redis, and never after an invalidating change', async () => {
    const agency = await createAgency(ctx.db);
    await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn bộ nhớ đệm một' });
    expect(await titles('bo nho dem')).toEqual(['Đơn bộ nhớ đệm một']);

    await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn bộ nhớ đệm hai' });
    expect(await titles('bo nho dem')).toEqual(['Đơn bộ nhớ đệm một']);

    await ctx.db.query(`UPDATE agencies SET license_status = 'suspended' WHERE id = $1`, [agency]);
    await ctx.api.get(Caches).announce(AGENCY_LICENSE_CHANGED);
    expect(await titles('bo nho dem')).toEqual([]);
  });

  it('shows salary estimates at new exchange rates as soon as they are set', async () => {
    const agency = await createAgency(ctx.db);
    // 300,000 HUF at 75 VND is 22,500,000 đồng; at 80 it is 24,000,000.
    await createJobOrder(ctx.db, {
      agencyId: agency,
      title: 'Đơn lương forint',
      country: 'HU',
      program: 'eu_work_permit',
      salaryAmount: 300000,
      salaryCurrency: 'HUF',
      salaryVndEstimate: 22_500_000,
    });
    const estimates = async () =>
      (
        await request(ctx.http).get('/api/v1/job-orders').query({ q: 'luong forint' }).expect(200)
      ).body.items.map((item: { salaryVndEstimate: number }) => item.salaryVndEstimate);
    expect(await estimates()).toEqual([22_500_000]);

    const admin = await createUser(ctx.db, { role: 'admin' });
    await ctx
      .as(await ctx.login(admin.email, admin.password))
      .put('/admin/exchange-rates', { rates: { HUF: 80 } })
      .expect(200);
    expect(await estimates()).toEqual([24_000_000]);
  });

  it('keys pages by every parameter', async () => {
    const agency = await createAgency(ctx.db);
    await createJobOrder(ctx.db, { agencyId: agency, title: 'Khóa đệm Nhật', country: 'JP' });
    await createJobOrder(ctx.db, { agencyId: agency, title: 'Khóa đệm Đài', country: 'TW' });
    const page = async (country: string) =>
      (await request(ctx.http).get('/api/v1/job-orders').query({ q: 'khoa dem', country }).expect(200)).body
        .items;
    expect((await page('JP')).map((i: { title: string }) => i.title)).toEqual(['Khóa đệm Nhật']);
    expect((await page('TW')).map((i: { title: string }) => i.title)).toEqual(['Khóa đệm Đài']);
  });

  // Last: passport's strategy is global, so once the second process closes, bearer tokens stop working here.
  it('ends the pages one api process serves when a licence decision commits in another', async () => {
    const other: NestFastifyApplication = await createApiApp();
    try {
      await other.listen(0, '127.0.0.1');
      const agency = await createAgency(ctx.db);
      await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn hai tiến trình' });
      expect(await titles('hai tien trinh')).toEqual(['Đơn hai tiến trình']);
      await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn hai tiến trình mới' });
      expect(await titles('hai tien trinh')).toEqual(['Đơn hai tiến trình']);

      const regulator = await createUser(ctx.db, { role: 'regulator' });
      const { body } = await request(other.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email: regulator.email, password: regulator.password })
        .expect(200);
      await request(other.getHttpServer())
        .post(`/api/v1/regulator/agencies/${agency}/license`)
        .set('Authorization', `Bearer ${body.accessToken}`)
        .send({ status: 'suspended', reason: 'Thu phí sai' })
        .expect(200);
      expect(await titles('hai tien trinh')).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
