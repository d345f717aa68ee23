import { AddressInfo, connect } from 'node:net';

import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

const METRICS_TOKEN = 'scraper-token-0123456789abcdef';

/** Sends bytes as they are (supertest would refuse or fix them) and returns the raw answer. */
function rawRequest(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.end(payload));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parseRaw(answer: string) {
  const [head, body] = answer.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: JSON.parse(body) as Record<string, unknown>,
  };
}

describe('HTTP hardening', () => {
  let ctx: TestContext;
  let port: number;
  let order: string;

  beforeAll(async () => {
    ctx = await TestContext.create({
      env: {
        METRICS_TOKEN,
        WEBHOOK_ALLOW_PRIVATE: 'false',
        // Sign-ups below come from several client addresses, told apart by X-Forwarded-For.
        TRUSTED_PROXIES: 'loopback',
        RATE_LIMIT_SIGNUP_EMAIL_TAKEN_PER_IP_PER_HOUR: '2',
        RATE_LIMIT_SIGNUP_EMAIL_TAKEN_PER_HOUR: '3',
      },
    });
    port = (ctx.http.address() as AddressInfo).port;
    order = await createJobOrder(ctx.db, { agencyId: await createAgency(ctx.db) });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const expectSecurityHeaders = (headers: Record<string, string>) => {
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      // Tests run as NODE_ENV=test: only development goes without HSTS.
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
    });
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  };

  /** A problem answer that names neither the framework nor anything the request carried. */
  const expectProblem = (
    answer: { status: number; headers: Record<string, string>; body: Record<string, unknown>; text?: string },
    status: number,
    code: string,
    echoed: string[] = [],
  ) => {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(answer.body).toEqual({
      type: `urn:xkld:problem:${code.toLowerCase().replace(/_/g, '-')}`,
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
    });
    const text = JSON.stringify(answer.body);
    expect(text).not.toMatch(/FST_|fastify|nest/i);
    for (const fragment of echoed) expect(text).not.toContain(fragment);
    expectSecurityHeaders(answer.headers);
  };

  describe('security headers', () => {
    it('are on every answer: a listing, an error, an unknown route', async () => {
      expectSecurityHeaders((await request(ctx.http).get('/api/v1/job-orders').expect(200)).headers);
      expectSecurityHeaders((await request(ctx.http).get(`/api/v1/job-orders/${order}x`)).headers);
      expectSecurityHeaders((await request(ctx.http).get('/api/v1/nowhere').expect(404)).headers);
      const api = await request(ctx.http).get('/api/v1/health/live').expect(200);
      expect(api.headers['content-security-policy']).toBe(
        "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      );
    });

    it('let the Swagger UI load its scripts, styles and document, and nothing from elsewhere', async () => {
      const page = await request(ctx.http).get('/api/docs').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expectSecurityHeaders(page.headers);
      const csp = page.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/https?:|\*/);
      const scripts = [...page.text.matchAll(/<script src=['"]([^'"]+)['"]/g)].map(([, src]) => src);
      expect(scripts).toEqual(expect.arrayContaining([expect.stringContaining('swagger-ui-init.js')]));
      // Every script the page loads is same-origin and served under the docs' CSP; none is inline.
      expect(page.text).not.toMatch(/<script>[^<]/);
      for (const src of scripts) {
        const script = await request(ctx.http).get(new URL(src, 'http://x/api/docs/').pathname).expect(200);
        expect(script.headers['content-security-policy']).toBe(csp);
      }
      await request(ctx.http).get('/api/docs-json').expect(200);
    });
  });

  describe('framework-level errors', () => {
    it('answers a path parameter over the router limit with 414 URI_TOO_LONG, without the path', async () => {
      const id = 'a'.repeat(300);
      const answer = await request(ctx.http).get(`/api/v1/job-orders/${id}`);
      expectProblem(answer, 414, 'URI_TOO_LONG', [id]);
    });

    it('answers a URL over 8 KB with 414 and one over the head limit with 431, without echoing it', async () => {
      const query = 'q'.repeat(9000);
      expectProblem(await request(ctx.http).get(`/api/v1/job-orders?q=${query}`), 414, 'URI_TOO_LONG', [
        query,
      ]);
      const huge = 'u'.repeat(20_000);
      const answer = parseRaw(
        await rawRequest(port, `GET /api/v1/job-orders?q=${huge} HTTP/1.1\r\nHost: x\r\n\r\n`),
      );
      expectProblem(answer, 431, 'HEADERS_TOO_LARGE', ['uuuuuuuu']);
    });

    it('answers headers over the limit with 431 HEADERS_TOO_LARGE', async () => {
      const answer = parseRaw(
        await rawRequest(
          port,
          `GET /api/v1/job-orders HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
        ),
      );
      expectProblem(answer, 431, 'HEADERS_TOO_LARGE', ['bbbbbbbb']);
    });

    it('answers a request line the parser cannot read with 400 BAD_REQUEST', async () => {
      expectProblem(parseRaw(await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n')), 400, 'BAD_REQUEST');
    });

    it('answers a URL that does not decode with 400 BAD_REQUEST, without the URL', async () => {
      expectProblem(await request(ctx.http).get('/api/v1/job-orders/%zz-secret'), 400, 'BAD_REQUEST', [
        'secret',
      ]);
    });

    it('answers a body over 64 KB with 413 PAYLOAD_TOO_LARGE', async () => {
      const answer = await request(ctx.http)
        .post('/api/v1/consultations')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ message: 'x'.repeat(70_000) }));
      expectProblem(answer, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers a wrong method on an existing path with 405 and Allow', async () => {
      const answer = await request(ctx.http).delete('/api/v1/job-orders');
      expectProblem(answer, 405, 'METHOD_NOT_ALLOWED');
      expect(answer.headers.allow).toBe('GET, HEAD');
      const withId = await request(ctx.http).put(`/api/v1/job-orders/${order}`).send({});
      expectProblem(withId, 405, 'METHOD_NOT_ALLOWED');
      expect(withId.headers.allow).toBe('GET, HEAD');
    });

    it('answers an unknown route with 404 NOT_FOUND, in the language asked for', async () => {
      const answer = await request(ctx.http).get('/api/v1/nowhere/secret').set('Accept-Language', 'en');
      expectProblem(answer, 404, 'NOT_FOUND', ['secret']);
      expect(answer.body.title).toBe('Not found');
    });

    it('answers malformed or empty JSON with 400 MALFORMED_JSON, without the body', async () => {
      const post = (body: string) =>
        request(ctx.http).post('/api/v1/consultations').set('content-type', 'application/json').send(body);
      expectProblem(await post('{"fullName": "Nguyễn'), 400, 'MALFORMED_JSON', ['Nguy']);
      expectProblem(await post(''), 400, 'MALFORMED_JSON');
      expectProblem(await post('{"__proto__": {"admin": true}}'), 400, 'MALFORMED_JSON', ['admin']);
    });

    it('answers a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const answer = await request(ctx.http)
          .post('/api/v1/consultations')
          .set('content-type', type)
          .send('jobOrderId=1');
        expectProblem(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });
  });

  describe('/metrics', () => {
    it('takes only the METRICS_TOKEN bearer token', async () => {
      const refused = await request(ctx.http).get('/metrics');
      expectProblem(refused, 401, 'UNAUTHENTICATED');
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      await request(ctx.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`).expect(401);
      await request(ctx.http).get('/metrics').set('Authorization', METRICS_TOKEN).expect(401);
      const { text } = await request(ctx.http)
        .get('/metrics')
        .set('Authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200);
      expect(text).toContain('xkld_http_request_duration_seconds');
    });
  });

  describe('agency webhooks without WEBHOOK_ALLOW_PRIVATE', () => {
    it('refuses IPv4-embedded IPv6 forms of private addresses', async () => {
      const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: await createAgency(ctx.db) });
      const token = await ctx.login(admin.email, admin.password);
      for (const url of [
        'https://[::7f00:1]/hook',
        'https://[64:ff9b::a9fe:a9fe]/latest/meta-data',
        'https://[::ffff:10.0.0.1]/hook',
        'https://[2002:a9fe:a9fe::1]/hook',
        'https://localhost/hook',
      ]) {
        const { body } = await ctx
          .as(token)
          .put('/agency/webhook', { url, secret: 'bí mật của doanh nghiệp' })
          .expect(400);
        expect(body.errors).toEqual([{ field: 'url', message: expect.any(String) }]);
      }
    });
  });

  describe('agency sign-up and whether an email has an account', () => {
    let serial = 0;
    const signup = (from: string, email: string) => {
      serial++;
      return request(ctx.http)
        .post('/api/v1/auth/agency-signup')
        .set('X-Forwarded-For', from)
        .send({
          agencyName: `Công ty Thử ${serial}`,
          licenseNumber: `${700 + serial}/LĐTBXH-GP`,
          enterpriseCode: `01090000${String(serial).padStart(2, '0')}`,
          email,
          password: 'một mật khẩu dài đủ',
        });
    };
    const agencies = async () =>
      (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM agencies`)).rows[0].n;

    it('tells a taken email only a few times per address and per hour, then answers every sign-up alike', async () => {
      const { email: taken } = await createUser(ctx.db, { role: 'regulator' });
      const a = '203.0.113.10';
      // A sign-up that succeeds does not count.
      await signup(a, 'moi-1@example.vn').expect(201);
      expect((await signup(a, taken).expect(409)).body.code).toBe('EMAIL_TAKEN');
      expect((await signup(a, taken).expect(409)).body.code).toBe('EMAIL_TAKEN');
      const before = await agencies();
      const spent = await signup(a, taken).expect(429);
      expect(spent.body.code).toBe('RATE_LIMITED');
      expect(Number(spent.headers['retry-after'])).toBeGreaterThan(0);
      // A free email gets the same answer from there: a 429 tells nothing.
      expect((await signup(a, 'moi-2@example.vn').expect(429)).body.code).toBe('RATE_LIMITED');
      expect(await agencies()).toBe(before);

      // Three EMAIL_TAKEN answers an hour in all: a third address gets the 429 whatever it sends.
      expect((await signup('203.0.113.11', taken).expect(409)).body.code).toBe('EMAIL_TAKEN');
      await signup('203.0.113.12', taken).expect(429);
      await signup('203.0.113.12', 'moi-3@example.vn').expect(429);
    });
  });
});
