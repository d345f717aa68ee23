import request from 'supertest';

import { ListingCache } from '@app/job-orders';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder } from './helpers/factories';

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
    await ctx.api.get(ListingCache).invalidate();
    expect(await titles('bo nho dem')).toEqual([]);
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
});
