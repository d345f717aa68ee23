import request from 'supertest';
import { DataSource } from 'typeorm';

import { seedDemoData } from '../scripts/seed';
import { TestContext } from './helpers/context';

describe('the demo data', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
    expect(await seedDemoData(ctx.api.get(DataSource))).toBe(true);
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('loads once: a second run changes nothing', async () => {
    expect(await seedDemoData(ctx.api.get(DataSource))).toBe(false);
  });

  it('sums to the May 2023 departures of the source page', async () => {
    const { body } = await request(ctx.http).get('/api/v1/stats/departures?month=2023-05').expect(200);
    expect(body).toMatchObject({ month: '2023-05', total: 9765, women: 3576 });
    const byCountry = Object.fromEntries(
      body.byCountry.map((row: { country: string; total: number; women: number }) => [
        row.country,
        [row.total, row.women],
      ]),
    );
    expect(byCountry).toMatchObject({
      JP: [5359, 2397],
      TW: [3515, 989],
      HU: [192, 108],
      SG: [185, 0],
      KR: [106, 0],
      CN: [89, 0],
      PL: [76, 19],
      RO: [71, 16],
      MY: [33, 30],
    });
    expect(body.byCountry[0].country).toBe('JP');
  });

  it('answers a month without reports with zeros and rejects a malformed month', async () => {
    const { body } = await request(ctx.http).get('/api/v1/stats/departures?month=2023-06').expect(200);
    expect(body).toEqual({ month: '2023-06', total: 0, women: 0, byCountry: [] });
    await request(ctx.http).get('/api/v1/stats/departures?month=2023-5').expect(400);
    await request(ctx.http).get('/api/v1/stats/departures').expect(400);
  });

  it('lists every public demo order as within its legal caps', async () => {
    const { body } = await request(ctx.http).get('/api/v1/job-orders?limit=100').expect(200);
    expect(body.items.length).toBeGreaterThan(5);
    for (const item of body.items as { id: string }[]) {
      const detail = await request(ctx.http).get(`/api/v1/job-orders/${item.id}`).expect(200);
      expect([item.id, detail.body.compliance.withinCaps]).toEqual([item.id, true]);
    }
  });
});
