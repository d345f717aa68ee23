import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue, Worker } from 'bullmq';
import request from 'supertest';

import { QUEUE_BOARD_CSP } from '@app/web';

import { SYSTEM_QUEUES } from '../apps/api/src/operations/system-queues';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { TestContext } from './helpers/context';
import { createUser } from './helpers/factories';
import { TEST_REDIS_URL } from './helpers/env';
import { WebClient } from './helpers/web';

type User = { email: string; password: string };

/** The queue names the worker registers with BullMQ (BullModule.registerQueue in WorkerModule). */
function workerQueueNames(): string[] {
  const imports = (Reflect.getMetadata('imports', WorkerModule) ?? []) as {
    providers?: { provide?: unknown }[];
  }[];
  const tokens = imports.flatMap((entry) => entry.providers ?? []).map((provider) => provider.provide);
  const prefix = getQueueToken('x').slice(0, -1);
  return tokens
    .filter((token): token is string => typeof token === 'string' && token.startsWith(prefix))
    .map((token) => token.slice(prefix.length));
}

/** One sample of the Prometheus text, or undefined. */
const sample = (text: string, series: string) =>
  text
    .split('\n')
    .find((line) => line.startsWith(`${series} `))
    ?.split(' ')[1];

describe('operators: Bull Board and queue metrics', () => {
  let ctx: TestContext;
  let admin: User;
  let staff: User;
  let regulator: User;
  const queues = new Map<string, Queue>();
  let failedJob: Job;

  const queue = (name: string) => {
    if (!queues.has(name)) {
      queues.set(
        name,
        new Queue(name, { connection: { url: TEST_REDIS_URL }, prefix: `${ctx.redisPrefix}:bull` }),
      );
    }
    return queues.get(name)!;
  };
  const signedIn = async (user: User) => {
    const browser = new WebClient(ctx.http);
    expect((await browser.signIn(user.email, user.password)).status).toBe(303);
    return browser;
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await createUser(ctx.db, { role: 'admin' });
    regulator = await createUser(ctx.db, { role: 'regulator' });
    staff = await createUser(ctx.db, {
      role: 'agency_staff',
      agencyId: (
        await ctx.db.query<{ id: string }>(
          `INSERT INTO agencies (name, license_number, license_status, enterprise_code, province_code)
         VALUES ('Công ty Vận hành', 'OPS-1/LĐTBXH-GP', 'active', '0101010101', 'ha-noi') RETURNING id`,
        )
      ).rows[0].id,
    });

    // In this file's own key prefix no worker runs: each queue holds exactly what is put here.
    const sms = queue('sms');
    await sms.add('sms', { messageId: 'm-old' }, { jobId: 'sms-old', timestamp: Date.now() - 120_000 });
    await sms.add('sms', { messageId: 'm-new' }, { jobId: 'sms-new' });
    await sms.add('sms', { messageId: 'm-later' }, { jobId: 'sms-later', delay: 3_600_000 });
    // A scheduled job, added an hour ago for a run due a second ago, and now waiting.
    const scheduled = await queue('job-alert-match').add(
      'job-alert-match',
      { orderId: 'o-1' },
      { jobId: 'scheduled', timestamp: Date.now() - 3_600_000, delay: 3_599_000 },
    );
    await scheduled.promote();
    // One job that used up its attempts.
    const erasure = queue('applicant-erasure');
    failedJob = await erasure.add(
      'applicant-erasure',
      { erasureId: 'e-1' },
      { jobId: 'erasure-1', attempts: 1 },
    );
    const failing = new Worker('applicant-erasure', () => Promise.reject(new Error('store unavailable')), {
      connection: { url: TEST_REDIS_URL },
      prefix: `${ctx.redisPrefix}:bull`,
    });
    await ctx.waitFor(
      async () => ((await erasure.getFailedCount()) === 1 ? true : undefined),
      10_000,
      'a failed job',
    );
    await failing.close();
  });

  afterAll(async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
    await ctx.close();
  });

  it('the api shows every queue the worker registers, and no other', () => {
    expect([...SYSTEM_QUEUES].sort()).toEqual(workerQueueNames().sort());
    expect(SYSTEM_QUEUES.length).toBeGreaterThanOrEqual(8);
  });

  describe('the board at /admin/queues', () => {
    it('sends a browser without a session to the console sign-in, and back after it', async () => {
      const anonymous = await request(ctx.http).get('/admin/queues');
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.location).toBe('/dang-nhap?next=%2Fadmin%2Fqueues');
      const deep = await request(ctx.http).get('/admin/queues/queue/sms');
      expect(deep.headers.location).toBe('/dang-nhap?next=%2Fadmin%2Fqueues%2Fqueue%2Fsms');

      const browser = new WebClient(ctx.http);
      const form = await browser.get('/dang-nhap?next=%2Fadmin%2Fqueues');
      const signIn = await browser.submit(form, '/dang-nhap', {
        email: admin.email,
        password: admin.password,
        next: '/admin/queues',
      });
      expect(signIn.status).toBe(303);
      expect(signIn.headers.location).toBe('/admin/queues');
      expect((await browser.get('/admin/queues')).status).toBe(200);
    });

    it("answers the board's JSON 401 without the console's session, a bearer token included", async () => {
      const api = await request(ctx.http).get('/admin/queues/api/queues');
      expect(api.status).toBe(401);
      expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(api.body.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(api.body)).not.toContain('sms');
      // A bearer token of the JSON API is not the console's session.
      const token = await ctx.login(admin.email, admin.password);
      const bearer = await request(ctx.http)
        .get('/admin/queues/api/queues')
        .set('authorization', `Bearer ${token}`);
      expect(bearer.status).toBe(401);
    });

    it('refuses every role but admin: 403, the page for a browser and a problem for the JSON', async () => {
      for (const user of [staff, regulator]) {
        const browser = await signedIn(user);
        const page = await browser.get('/admin/queues');
        expect(page.status).toBe(403);
        expect(page.headers['content-type']).toMatch(/^text\/html/);
        expect(page.text).toContain('Không có quyền');
        expect(page.text).not.toContain('__UI_CONFIG__');
        expect(page.text).not.toContain('rel="canonical"');
        const api = await browser.get('/admin/queues/api/queues');
        expect(api.status).toBe(403);
        expect(api.body.code).toBe('FORBIDDEN');
      }
    });

    it('shows the admin the board, under its own CSP, every asset from the app itself', async () => {
      const browser = await signedIn(admin);
      const page = await browser.get('/admin/queues');
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toBe(QUEUE_BOARD_CSP);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.text).toContain('<base href="/admin/queues/" />');
      const config = JSON.parse(
        /<script id="__UI_CONFIG__" type="application\/json">(.*?)<\/script>/s.exec(page.text)![1],
      );
      expect(config.boardTitle).toBe('xkld queues');

      // Every script and stylesheet is served by the app under /admin/queues ('self'): none from elsewhere.
      const scripts = [...page.text.matchAll(/<script[^>]* src="([^"]+)"/g)].map((m) => m[1]);
      const styles = [...page.text.matchAll(/<link href="([^"]+)" rel="stylesheet"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of [...scripts, ...styles.filter((href) => !href.startsWith('https://fonts.'))]) {
        expect(src).toMatch(/^static\//);
        const asset = await browser.get(`/admin/queues/${src}`);
        expect(asset.status).toBe(200);
        expect(asset.headers['content-type']).toMatch(src.endsWith('.js') ? /javascript/ : /text\/css/);
        expect(asset.headers['content-security-policy']).toBe(QUEUE_BOARD_CSP);
        expect(asset.headers['cache-control']).toBe('private, max-age=86400');
      }
      // The one outside stylesheet its page links to (Google Fonts) is not allowed by the CSP.
      expect(QUEUE_BOARD_CSP).toContain("style-src 'self' 'unsafe-inline'");
      expect(QUEUE_BOARD_CSP).not.toMatch(/googleapis|https:/);
    });

    it('lists every system queue, read-only, with what each holds', async () => {
      const browser = await signedIn(admin);
      const response = await browser.get(
        '/admin/queues/api/queues?activeQueue=applicant-erasure&status=failed',
      );
      expect(response.status).toBe(200);
      const listed = response.body.queues as {
        name: string;
        readOnlyMode: boolean;
        allowRetries: boolean;
        counts: Record<string, number>;
        jobs: { id: string; failedReason: string }[];
      }[];
      expect(listed.map((q) => q.name).sort()).toEqual([...SYSTEM_QUEUES].sort());
      for (const q of listed) expect([q.readOnlyMode, q.allowRetries]).toEqual([true, false]);
      const byName = new Map(listed.map((q) => [q.name, q]));
      expect(byName.get('sms')!.counts).toMatchObject({ waiting: 2, delayed: 1, failed: 0 });
      expect(byName.get('applicant-erasure')!.counts.failed).toBe(1);
      expect(byName.get('applicant-erasure')!.jobs).toEqual([
        expect.objectContaining({ id: 'erasure-1', failedReason: 'store unavailable' }),
      ]);
    });

    it('changes nothing: retry, clean, pause, add and obliterate are refused and leave the queues as they were', async () => {
      const browser = await signedIn(admin);
      const cookie = browser.cookieHeader();
      const attempts: [method: 'put' | 'post' | 'patch' | 'delete', path: string][] = [
        ['put', '/api/queues/applicant-erasure/erasure-1/retry'],
        ['put', '/api/queues/applicant-erasure/retry/failed'],
        ['put', '/api/queues/applicant-erasure/clean/failed'],
        ['put', '/api/queues/sms/pause'],
        ['put', '/api/queues/pause'],
        ['put', '/api/queues/sms/empty'],
        ['put', '/api/queues/sms/obliterate'],
        ['put', '/api/queues/sms/sms-later/promote'],
        ['post', '/api/queues/sms/add'],
        ['patch', '/api/queues/sms/sms-new/update-data'],
      ];
      for (const [method, path] of attempts) {
        const agent = request(ctx.http);
        const response = await agent[method](`/admin/queues${path}`)
          .set({ cookie, 'content-type': 'application/json' })
          .send({ name: 'forged', data: {}, confirmQueueName: 'sms' });
        expect([path, response.status]).toEqual([path, 405]);
        expect(response.headers.allow).toBe('GET, HEAD');
      }
      expect(await failedJob.getState()).toBe('failed');
      expect(await queue('applicant-erasure').getFailedCount()).toBe(1);
      expect(await queue('sms').isPaused()).toBe(false);
      expect(await queue('sms').getJobCounts('wait', 'delayed')).toEqual({ wait: 2, delayed: 1 });
    });

    it('is kept out of the OpenAPI document and linked from the admin console only', async () => {
      const document = await request(ctx.http).get('/api/docs-json').expect(200);
      expect(Object.keys(document.body.paths).filter((path) => /queues/.test(path))).toEqual([]);

      const console = await (await signedIn(admin)).get('/admin/nguoi-dung');
      expect(console.text).toContain('href="/admin/queues"');
      const agencyConsole = await (await signedIn(staff)).get('/agency/don-hang');
      expect(agencyConsole.text).not.toContain('/admin/queues');
    });
  });

  describe('/metrics', () => {
    it('has each queue’s jobs by state, its job lag and its failed jobs, read at scrape time', async () => {
      const text = (await request(ctx.http).get('/metrics').expect(200)).text;
      expect(sample(text, 'xkld_queue_metrics_up')).toBe('1');
      for (const name of SYSTEM_QUEUES) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          expect(sample(text, `xkld_queue_jobs{queue="${name}",state="${state}"}`)).toBeDefined();
        }
      }
      expect(sample(text, 'xkld_queue_jobs{queue="sms",state="waiting"}')).toBe('2');
      expect(sample(text, 'xkld_queue_jobs{queue="sms",state="delayed"}')).toBe('1');
      expect(sample(text, 'xkld_queue_jobs{queue="applicant-erasure",state="failed"}')).toBe('1');
      expect(sample(text, 'xkld_queue_jobs{queue="consultation-intake",state="waiting"}')).toBe('0');

      // The oldest waiting sms was added two minutes ago.
      const smsLag = Number(sample(text, 'xkld_queue_oldest_waiting_seconds{queue="sms"}'));
      expect(smsLag).toBeGreaterThanOrEqual(120);
      expect(smsLag).toBeLessThan(180);
      // The scheduled job waits since it became due (a second before it was promoted), not since it was added.
      const scheduledLag = Number(sample(text, 'xkld_queue_oldest_waiting_seconds{queue="job-alert-match"}'));
      expect(scheduledLag).toBeGreaterThanOrEqual(1);
      expect(scheduledLag).toBeLessThan(60);
      expect(sample(text, 'xkld_queue_oldest_waiting_seconds{queue="maintenance"}')).toBe('0');
    });

    it('follows the queues from one scrape to the next', async () => {
      await queue('sms').add('sms', { messageId: 'm-3' }, { jobId: 'sms-3' });
      const text = (await request(ctx.http).get('/metrics').expect(200)).text;
      expect(sample(text, 'xkld_queue_jobs{queue="sms",state="waiting"}')).toBe('3');
    });
  });
});
