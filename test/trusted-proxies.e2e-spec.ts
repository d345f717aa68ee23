import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder } from './helpers/factories';

// With no TRUSTED_PROXIES, the connection's address is the client's: a forged X-Forwarded-For changes nothing.
describe('client addresses without trusted proxies', () => {
  let ctx: TestContext;
  let order: string;

  beforeAll(async () => {
    ctx = await TestContext.create({
      env: { RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR: '2', TRUSTED_PROXIES: '' },
    });
    order = await createJobOrder(ctx.db, { agencyId: await createAgency(ctx.db) });
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('keeps the per-address limit whatever X-Forwarded-For claims', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const response = await request(ctx.http)
        .post('/api/v1/consultations')
        .set('X-Forwarded-For', `198.51.100.${i}`)
        .send({
          jobOrderId: order,
          fullName: 'Phạm Thị Dung',
          phone: `096700000${i}`,
          province: 'Hà Nội',
          birthYear: 1999,
          consent: true,
        });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([202, 202, 429]);
  });
});
