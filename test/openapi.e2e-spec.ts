import { writeFileSync } from 'node:fs';

import request from 'supertest';

import { TestContext } from './helpers/context';

describe('OpenAPI document', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(async () => {
    await ctx.close();
  });
  it('dumps', async () => {
    const { body } = await request(ctx.http).get('/api/docs-json').expect(200);
    writeFileSync('/tmp/oa/doc.json', JSON.stringify(body, null, 2));
  });
});
