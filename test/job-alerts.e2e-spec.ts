import { createHmac, randomInt } from 'node:crypto';

import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import request from 'supertest';

import { ApplicantQueue } from '@app/applicants';
import {
  JOB_ALERT_SETTINGS,
  JobAlertMatcher,
  JobAlertQueue,
  JobAlertSettings,
  orderIdFromShortCode,
} from '@app/job-alerts';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser, JobOrderFixture } from './helpers/factories';
import { csrfOf, textOf, WebClient } from './helpers/web';
import { e164, SmsInbox } from './helpers/sms-inbox';

const SMS_SECRET = 'sms-secret-for-job-alerts-0123';
const LINK_BASE = 'https://xkld.vn';

describe('job alerts', () => {
  let ctx: TestContext;
  let sms: SmsInbox;
  let agency: string;
  let agencyToken: string;
  let phoneSerial = 7_000_000;

  const nextPhone = () => `09${String(phoneSerial++).padStart(8, '0')}`;
  /** A word no other test's orders or alerts contain, so each test sees only its own matches. */
  const marker = () => `moc${randomInt(1e9)}`;
  const createAlert = (phone: string, filters: Record<string, unknown> = {}) =>
    ctx.as(ctx.applicantToken(phone)).post('/me/alerts', { phone, consent: true, ...filters });
  const alertsOf = async (phone: string) =>
    (await ctx.as(ctx.applicantToken(phone)).get('/me/alerts').expect(200)).body.items as { id: string }[];
  const draftOrder = (fixture: Omit<JobOrderFixture, 'agencyId'>) =>
    createJobOrder(ctx.db, { agencyId: agency, publicationStatus: 'draft', ...fixture });
  const matchesOf = async (alertId: string) =>
    (
      await ctx.db.query(
        `SELECT job_order_id AS "orderId" FROM job_alert_matches WHERE alert_id = $1 ORDER BY matched_at`,
        [alertId],
      )
    ).rows.map((row: { orderId: string }) => row.orderId);

  /**
   * Publishes through the agency API (the only way the publication event is announced) and waits until the
   * worker has run the order's matching job: its outbox row dispatched and the job gone from the queue
   * (completed jobs are removed; a failed one stays and fails the test).
   */
  const publishAndMatch = async (order: string) => {
    await ctx.as(agencyToken).post(`/agency/job-orders/${order}/publish`).expect(200);
    const queue = ctx.worker!.get<Queue>(getQueueToken(JobAlertQueue.Match), { strict: false });
    await ctx.waitFor(
      async () => {
        const { rows } = await ctx.db.query(
          `SELECT job_id AS "jobId", dispatched_at AS "dispatchedAt" FROM outbox
           WHERE queue = $1 AND payload->>'orderId' = $2`,
          [JobAlertQueue.Match, order],
        );
        if (rows.length !== 1 || !rows[0].dispatchedAt) return undefined;
        const job = await queue.getJob(rows[0].jobId);
        if (job?.failedReason) throw new Error(`matching failed: ${job.failedReason}`);
        return job ? undefined : true;
      },
      10_000,
      `the matching of order ${order}`,
    );
  };
  const signed = (body: string) => `sha256=${createHmac('sha256', SMS_SECRET).update(body).digest('hex')}`;
  const inbound = (message: object, signature?: string) => {
    const body = JSON.stringify(message);
    const req = request(ctx.http).post('/api/v1/sms/inbound').set('content-type', 'application/json');
    return req.set('x-signature', signature ?? signed(body)).send(body);
  };

  beforeAll(async () => {
    sms = new SmsInbox();
    const url = await sms.start();
    ctx = await TestContext.create({
      worker: true,
      env: {
        SMS_PROVIDER: 'http',
        SMS_HTTP_URL: url,
        SMS_HTTP_SECRET: SMS_SECRET,
        ALERT_LINK_BASE_URL: LINK_BASE,
      },
    });
    agency = await createAgency(ctx.db, { name: 'Công ty Thông Báo' });
    const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    agencyToken = await ctx.login(admin.email, admin.password);
  });

  afterAll(async () => {
    await ctx?.close();
    await sms.stop();
  });

  it('texts a matching published order once, with its link and a stop link, and nothing for orders the filters refuse', async () => {
    const phone = nextPhone();
    const word = marker();
    const { body: alert } = await createAlert(phone, {
      q: `Chế biến ${word}`,
      country: 'jp',
      salaryMinVnd: 25_000_000,
      birthYear: 2000,
    }).expect(201);
    expect(alert).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      q: `Chế biến ${word}`,
      country: 'JP',
      industry: null,
      salaryMinVnd: 25_000_000,
      birthYear: 2000,
      consent: { version: expect.any(String), grantedAt: expect.any(String) },
    });

    // Each refused by one filter: too low a salary, born too late, another country, another word.
    const refused = [
      await draftOrder({ title: `Che bien ${word} Aichi`, salaryVndEstimate: 20_000_000 }),
      await draftOrder({ title: `Che bien ${word} Aichi`, birthYearFrom: 1985, birthYearTo: 1995 }),
      await draftOrder({
        title: `Chế biến ${word}`,
        workLocation: 'Đài Trung',
        country: 'TW',
        program: 'tw_worker',
        salaryCurrency: 'TWD',
        salaryAmount: 29000,
      }),
      await draftOrder({ title: `Chế biến ${marker()} Aichi` }),
    ];
    for (const order of refused) await publishAndMatch(order);
    expect(await matchesOf(alert.id)).toEqual([]);
    expect(sms.textsTo(phone)).toHaveLength(0);

    const order = await draftOrder({
      title: `Tuyển 20 nam nữ chế biến thực phẩm ${word} tại Aichi`,
      salaryVndEstimate: 30_600_000,
    });
    await publishAndMatch(order);
    const text = await sms.waitForText(ctx, phone);
    expect(text.text.length).toBeLessThanOrEqual(160);
    expect(text.text).toMatch(/^xkld: Tuyen 20 nam nu che bien thuc pham/);
    expect(text.text).toContain(', Nhat Ban, khoang 31tr/thang. Xem ');
    const [, code] = /https:\/\/xkld\.vn\/d\/([A-Za-z0-9_-]{22}) /.exec(text.text)!;
    expect(orderIdFromShortCode(code)).toBe(order);
    expect(text.text).toMatch(/Dung nhan: https:\/\/xkld\.vn\/tb\/[0-9a-z]+\.[A-Za-z0-9_-]{10}$/);
    // The short link leads to the order's page.
    const short = await request(ctx.http).get(`/d/${code}`).expect(301);
    expect(short.headers.location).toBe(`/don-hang/${order}`);
    expect(await matchesOf(alert.id)).toEqual([order]);

    // A job delivered again matches nothing new and texts nobody twice.
    const again = await ctx.worker!.get(JobAlertMatcher, { strict: false }).match(order);
    expect(again).toBe('0 matched, 0 texted');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sms.textsTo(phone)).toHaveLength(1);
  });

  it('sends one text a day however many orders match, and records every match', async () => {
    const phone = nextPhone();
    const word = marker();
    const { body: alert } = await createAlert(phone, { q: word }).expect(201);
    const second = await createAlert(phone, { q: `${word} Osaka`, gender: 'male' }).expect(201);
    const first = await draftOrder({ title: `Đơn hàng ${word} thứ nhất` });
    const later = await draftOrder({ title: `Đơn hàng ${word} thứ hai` });
    await publishAndMatch(first);
    await sms.waitForText(ctx, phone);
    await publishAndMatch(later);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sms.textsTo(phone)).toHaveLength(1);
    // Both orders matched both alerts (the factory's orders are in Osaka, open to men and women).
    expect((await matchesOf(alert.id)).sort()).toEqual([first, later].sort());
    expect((await matchesOf(second.body.id)).sort()).toEqual([first, later].sort());
    const { rows } = await ctx.db.query(
      `SELECT job_order_id AS "orderId", day::text FROM job_alert_messages m
       JOIN job_alerts a ON a.id = m.alert_id WHERE a.id IN ($1, $2)`,
      [alert.id, second.body.id],
    );
    expect(rows).toEqual([{ orderId: first, day: vietnamDay() }]);
  });

  it('the stop link ends every alert of the phone without signing in, and only a token the server signed does', async () => {
    const phone = nextPhone();
    const word = marker();
    await createAlert(phone, { q: word }).expect(201);
    const { body: other } = await createAlert(phone, { q: word, country: 'JP' }).expect(201);
    await publishAndMatch(await draftOrder({ title: `Tuyển ${word}` }));
    const text = await sms.waitForText(ctx, phone);
    const token = /\/tb\/([0-9a-z]+\.[A-Za-z0-9_-]{10})$/.exec(text.text)![1];

    // Forged: another id with this MAC, or this id with another MAC.
    const [id, mac] = token.split('.');
    const forged = [
      `${(parseInt(id, 36) + 1).toString(36)}.${mac}`,
      `${id}.${mac.slice(0, 9)}${mac[9] === 'A' ? 'B' : 'A'}`,
    ];
    for (const bad of forged) {
      await request(ctx.http).post('/api/v1/alerts/stop').send({ token: bad }).expect(404);
    }
    await request(ctx.http).post('/api/v1/alerts/stop').send({ token: 'nonsense' }).expect(400);

    // Opening the link changes nothing (previews open links); its button stops, without sign-in.
    const browser = new WebClient(ctx.http);
    const page = await browser.get(`/tb/${token}`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain('Dừng nhận thông báo việc làm');
    expect(await alertsOf(phone)).toHaveLength(2);
    const done = await browser.submit(page, `/tb/${token}`);
    expect(done.status).toBe(200);
    expect(textOf(done.text)).toContain('Đã dừng.');
    expect(await alertsOf(phone)).toEqual([]);
    // The API's stop with the same token finds nothing left, and says so.
    const repeat = await request(ctx.http).post('/api/v1/alerts/stop').send({ token }).expect(200);
    expect(repeat.body).toEqual({ stopped: 0 });
    const { rows: stops } = await ctx.db.query(
      `SELECT via, alerts_ended AS "alertsEnded" FROM job_alert_stops s
       WHERE s.phone_hash = (SELECT phone_hash FROM job_alerts WHERE id = $1) ORDER BY s.id`,
      [other.id],
    );
    expect(stops).toEqual([
      { via: 'link', alertsEnded: 2 },
      { via: 'link', alertsEnded: 0 },
    ]);

    // Ended alerts match nothing more.
    const next = await draftOrder({ title: `Tuyển ${word} đợt hai` });
    await publishAndMatch(next);
    expect(await matchesOf(other.id)).not.toContain(next);
  });

  it('holds a text matched during the quiet hours in its queue until they end, then sends it', async () => {
    const phone = nextPhone();
    const word = marker();
    await createAlert(phone, { q: word }).expect(201);
    // Quiet hours that hold now: the two hours from the current hour of the Vietnam clock.
    const settings = ctx.worker!.get<JobAlertSettings>(JOB_ALERT_SETTINGS.token, { strict: false });
    const hour = (new Date().getUTCHours() + 7) % 24;
    const since = new Date();
    settings.quietHours = { from: hour, to: (hour + 2) % 24 };
    try {
      await publishAndMatch(await draftOrder({ title: `Tuyển ${word}` }));
    } finally {
      settings.quietHours = null;
    }
    const held = await ctx.waitFor(async () => {
      const { rows } = await ctx.db.query(
        `SELECT job_id AS "jobId", not_before AS "notBefore", dispatched_at AS "dispatchedAt" FROM outbox
         WHERE queue = $1 AND created_at >= $2 AND not_before IS NOT NULL`,
        [ApplicantQueue.Sms, since],
      );
      return rows.length === 1 && rows[0].dispatchedAt
        ? (rows[0] as { jobId: string; notBefore: Date })
        : undefined;
    });
    const end = new Date(since);
    end.setUTCHours((hour + 2 - 7 + 24) % 24, 0, 0, 0);
    if (end <= since) end.setUTCDate(end.getUTCDate() + 1);
    expect(held.notBefore).toEqual(end);

    const queue = ctx.worker!.get<Queue>(getQueueToken(ApplicantQueue.Sms), { strict: false });
    const job = (await queue.getJob(held.jobId))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.timestamp + job.opts.delay!).toBeGreaterThanOrEqual(end.getTime() - 1000);
    expect(sms.textsTo(phone)).toHaveLength(0);

    // Its time come, it leaves.
    await job.promote();
    expect((await sms.waitForText(ctx, phone)).text).toMatch(/^xkld: Tuyen /);
  });

  it('STOP by SMS ends every alert of the sender, when the provider signed it', async () => {
    const phone = nextPhone();
    const word = marker();
    const { body: alert } = await createAlert(phone, { q: word }).expect(201);
    await createAlert(phone, { country: 'JP', q: word }).expect(201);

    const unsigned = await request(ctx.http)
      .post('/api/v1/sms/inbound')
      .send({ from: e164(phone), text: 'STOP' });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.code).toBe('INVALID_SIGNATURE');
    const message = { from: e164(phone), text: 'STOP' };
    await inbound(message, signed(JSON.stringify({ ...message, text: 'HUY' }))).expect(401);
    expect(await alertsOf(phone)).toHaveLength(2);

    expect((await inbound({ from: e164(phone), text: 'Cảm ơn' }).expect(200)).body).toEqual({
      action: 'ignored',
    });
    expect(await alertsOf(phone)).toHaveLength(2);

    expect((await inbound({ from: e164(phone), text: ' Hủy ' }).expect(200)).body).toEqual({
      action: 'stopped',
    });
    expect(await alertsOf(phone)).toEqual([]);
    // The sender is told, once: a second STOP ends nothing and is not answered.
    const confirmation = await sms.waitForText(ctx, phone);
    expect(confirmation.text).toContain('Da dung moi thong bao viec lam');
    expect((await inbound({ from: e164(phone), text: 'STOP' }).expect(200)).body).toEqual({
      action: 'stopped',
    });
    const { rows } = await ctx.db.query(
      `SELECT via, alert_id AS "alertId", alerts_ended AS "alertsEnded" FROM job_alert_stops
       WHERE phone_hash = (SELECT phone_hash FROM job_alerts WHERE id = $1) ORDER BY id`,
      [alert.id],
    );
    expect(rows).toEqual([
      { via: 'sms', alertId: null, alertsEnded: 2 },
      { via: 'sms', alertId: null, alertsEnded: 0 },
    ]);

    const order = await draftOrder({ title: `Tuyển ${word}` });
    await publishAndMatch(order);
    expect(await matchesOf(alert.id)).toEqual([]);
    expect(sms.textsTo(phone).map((text) => text.text)).toEqual([confirmation.text]);
  });

  it('an unproven phone cannot create an alert, nor one for a phone it did not prove', async () => {
    const phone = nextPhone();
    const anonymous = await request(ctx.http)
      .post('/api/v1/me/alerts')
      .send({ phone, consent: true, country: 'JP' })
      .expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    // A staff token is not an applicant token.
    await ctx.as(agencyToken).post('/me/alerts', { phone, consent: true }).expect(401);
    await ctx.as(agencyToken).get('/me/alerts').expect(401);

    const someoneElse = await ctx
      .as(ctx.applicantToken(nextPhone()))
      .post('/me/alerts', { phone, consent: true })
      .expect(403);
    expect(someoneElse.body.code).toBe('PHONE_NOT_PROVEN');

    const token = ctx.applicantToken(phone);
    const noConsent = await ctx.as(token).post('/me/alerts', { phone, country: 'JP' }).expect(400);
    expect(noConsent.body.errors.map((e: { field: string }) => e.field)).toEqual(['consent']);
    const unknown = await ctx
      .as(token)
      .post('/me/alerts', { phone, consent: true, country: 'ZZ', industry: 'underwater_basket' })
      .expect(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'country',
      'industry',
    ]);
    await ctx.as(token).post('/me/alerts', { phone, consent: true, sort: 'salary' }).expect(400);
    await ctx.as(token).post('/me/alerts', { phone, consent: true, birthYear: '2000' }).expect(400);
    expect(await alertsOf(phone)).toEqual([]);
  });

  it('refuses a sixth active alert, in Vietnamese, and counts only active ones', async () => {
    const phone = nextPhone();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createAlert(phone, { q: `nghề ${i}` }).expect(201)).body.id);
    const sixth = await createAlert(phone, { q: 'nghề 6' }).expect(422);
    expect(sixth.body).toMatchObject({ code: 'ALERT_LIMIT_REACHED', title: 'Đã đủ 5 thông báo việc làm' });
    const english = await createAlert(phone, { q: 'nghề 6' }).set('Accept-Language', 'en').expect(422);
    expect(english.body.title).toBe('Five job alerts already');

    const list = await ctx.as(ctx.applicantToken(phone)).get('/me/alerts').expect(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([...ids].reverse());

    await ctx.as(ctx.applicantToken(phone)).delete(`/me/alerts/${ids[0]}`).expect(204);
    await createAlert(phone, { q: 'nghề 6' }).expect(201);
    await createAlert(phone, { q: 'nghề 7' }).expect(422);
  });

  it("answers 404 for another phone's alert, and leaves it alone", async () => {
    const owner = nextPhone();
    const stranger = nextPhone();
    const { body: alert } = await createAlert(owner, { country: 'JP' }).expect(201);
    const as = ctx.as(ctx.applicantToken(stranger));
    expect((await as.delete(`/me/alerts/${alert.id}`).expect(404)).body.code).toBe('NOT_FOUND');
    await as.delete('/me/alerts/not-a-number').expect(404);
    await as.delete('/me/alerts/99999999999999').expect(404);
    expect((await as.get('/me/alerts').expect(200)).body.items).toEqual([]);
    expect((await alertsOf(owner)).map((item) => item.id)).toEqual([alert.id]);
  });

  it("the phone's data holds its alerts with their consent and history, and erasure removes them", async () => {
    const phone = nextPhone();
    const word = marker();
    const { body: alert } = await createAlert(phone, { q: word }).expect(201);
    const order = await draftOrder({ title: `Tuyển ${word}` });
    await publishAndMatch(order);
    await sms.waitForText(ctx, phone);
    await ctx.as(ctx.applicantToken(phone)).delete(`/me/alerts/${alert.id}`).expect(204);

    const { body } = await ctx.as(ctx.applicantToken(phone)).get('/me/data').expect(200);
    expect(body.phone).toBe(e164(phone));
    expect(body.alerts).toEqual([
      expect.objectContaining({
        id: alert.id,
        q: word,
        consent: expect.objectContaining({ channel: 'api', text: expect.stringContaining('Tôi đồng ý') }),
        stoppedAt: expect.any(String),
        stoppedVia: 'api',
      }),
    ]);
    expect(body.alertHistory.matches).toEqual([
      expect.objectContaining({ alertId: alert.id, jobOrderId: order }),
    ]);
    expect(body.alertHistory.messages).toEqual([
      expect.objectContaining({ day: vietnamDay(), jobOrderId: order }),
    ]);
    expect(body.alertHistory.stops).toEqual([
      expect.objectContaining({ via: 'api', alertId: alert.id, alertsEnded: 1 }),
    ]);

    await ctx.as(ctx.applicantToken(phone)).delete('/me/data').expect(202);
    await ctx.waitFor(
      async () => {
        const { rows } = await ctx.db.query(
          `SELECT (SELECT count(*) FROM job_alerts WHERE id = $1)::int
             + (SELECT count(*) FROM job_alert_matches WHERE alert_id = $1)::int
             + (SELECT count(*) FROM job_alert_messages WHERE alert_id = $1)::int
             + (SELECT count(*) FROM job_alert_stops WHERE alert_id = $1)::int AS n`,
          [alert.id],
        );
        return rows[0].n === 0 ? true : undefined;
      },
      10_000,
      'the alerts to be erased',
    );
    // The phone, known only from its alerts, still got the erasure's last text.
    expect((await sms.waitForText(ctx, phone, 2)).text).toContain('da duoc xoa');
  });

  it('a phone proves itself on the page, saves an alert with consent and ends it', async () => {
    const phone = nextPhone();
    const browser = new WebClient(ctx.http);
    const start = await browser.get('/thong-bao-viec-lam');
    expect(start.status).toBe(200);
    expect(start.headers['cache-control']).toBe('no-store');
    const codePage = await browser.submit(start, '/thong-bao-viec-lam/ma', { phone });
    expect(codePage.status).toBe(200);
    const sent = await sms.waitForText(ctx, phone);
    const code = /\b(\d{6})\b/.exec(sent.text)![1];
    const proven = await browser.submit(codePage, '/thong-bao-viec-lam/xac-minh', {
      verificationId: /name="verificationId" value="([^"]+)"/.exec(codePage.text)![1],
      phone,
      code,
    });
    expect(proven.status).toBe(303);
    const manage = await browser.get(proven.headers.location);
    expect(textOf(manage.text)).toContain('Thông báo đang bật (0/5)');
    // The phone is in no URL and no cookie in clear.
    expect(browser.cookieHeader()).not.toContain(phone.slice(1));

    const refused = await browser.submit(manage, '/thong-bao-viec-lam', { country: 'JP' });
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain('Bạn cần đồng ý để lưu thông báo');
    const saved = await browser.submit(manage, '/thong-bao-viec-lam', {
      q: 'điều dưỡng',
      country: 'JP',
      salaryMinVnd: '25000000',
      consent: 'yes',
    });
    expect(saved.status).toBe(303);
    const [alert] = await alertsOf(phone);
    expect(alert).toMatchObject({ q: 'điều dưỡng', country: 'JP', salaryMinVnd: 25_000_000 });
    const listed = await browser.get('/thong-bao-viec-lam');
    expect(textOf(listed.text)).toContain('Thông báo đang bật (1/5)');
    expect(listed.text).toContain(`data-alert="${alert.id}"`);

    const ended = await browser.post(`/thong-bao-viec-lam/${alert.id}/tat`, { _csrf: csrfOf(listed.text) });
    expect(ended.status).toBe(303);
    expect(await alertsOf(phone)).toEqual([]);
    // Without the page's token nothing changes.
    await createAlert(phone).expect(201);
    const [again] = await alertsOf(phone);
    const forged = await browser.post(`/thong-bao-viec-lam/${again.id}/tat`, { _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(await alertsOf(phone)).toHaveLength(1);
  });
});

/** Today in Vietnam, as the daily limit counts. */
function vietnamDay(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}
