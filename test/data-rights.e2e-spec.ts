import { createHmac } from 'node:crypto';

import request from 'supertest';

import { KeyCipher, PersonalDataCipher } from '@app/core';
import { DataRightsService } from '@app/data-rights';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';
import { e164 } from './helpers/sms-inbox';
import { ReceivedHook, WebhookReceiver } from './helpers/webhook-receiver';

const WEBHOOK_SECRET = 'agency-webhook-secret-0123456789';

describe("applicants' data rights: export, withdrawal, erasure and retention", () => {
  let ctx: TestContext;
  let sms: WebhookReceiver;
  let hooks: WebhookReceiver;
  let cipher: PersonalDataCipher;
  let agency: string;
  let orders: string[];
  let agencyToken: string;
  let regulatorToken: string;
  let phoneSerial = 7_000_000;

  const nextPhone = () => `09${String(phoneSerial++).padStart(8, '0')}`;
  const consult = async (phone: string, order: string, fullName = 'Lê Văn Quyền') => {
    const { body } = await request(ctx.http)
      .post('/api/v1/consultations')
      .send({
        jobOrderId: order,
        fullName,
        phone,
        province: 'Nghệ An',
        birthYear: 1998,
        message: `Tôi là ${fullName}, gọi tôi nhé`,
        consent: true,
      })
      .expect(202);
    return body.trackingCode as string;
  };
  const requestRows = (phone: string) =>
    ctx.db
      .query<{
        id: string;
        status: string;
        full_name_encrypted: string;
        phone_encrypted: string;
        message_encrypted: string | null;
      }>(
        `SELECT id, status, full_name_encrypted, phone_encrypted, message_encrypted FROM consultation_requests
         WHERE phone_hash = $1 ORDER BY created_at`,
        [cipher.lookupHash(e164(phone))],
      )
      .then((result) => result.rows);
  const waitForAssigned = (phone: string, count: number) =>
    ctx.waitFor(
      async () => {
        const rows = await requestRows(phone);
        return rows.length === count && rows.every((row) => row.status === 'assigned') ? rows : undefined;
      },
      15_000,
      `${count} requests of ${phone} to be assigned`,
    );
  const events = (event: string) =>
    hooks.received.map(parse).filter((body) => body.event === event) as { requestId: string }[];
  /** A public answer read until two reads a second apart agree (the worker may still be folding). */
  const settled = async (path: string, token?: string) => {
    const read = async () => {
      const req = request(ctx.http).get(`/api/v1${path}`);
      if (token) req.set('Authorization', `Bearer ${token}`);
      return JSON.stringify((await req.expect(200)).body);
    };
    let last = await read();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const next = await read();
      if (next === last) return next;
      last = next;
    }
  };

  /** Waits until the worker has carried out the erasure. */
  const erasureDone = (erasureId: string) =>
    ctx.waitFor(
      async () => {
        const { rows } = await ctx.db.query(`SELECT done_at FROM erasure_requests WHERE id = $1`, [
          erasureId,
        ]);
        return rows[0]?.done_at ? true : undefined;
      },
      15_000,
      'the erasure',
    );

  beforeAll(async () => {
    sms = new WebhookReceiver();
    hooks = new WebhookReceiver();
    const smsUrl = await sms.start();
    const hookUrl = await hooks.start();
    ctx = await TestContext.create({
      worker: true,
      env: { SMS_PROVIDER: 'http', SMS_HTTP_URL: smsUrl, SMS_HTTP_SECRET: 'sms-secret-0123456789abcdef' },
    });
    cipher = ctx.api.get(PersonalDataCipher, { strict: false });
    agency = await createAgency(ctx.db, { name: 'Công ty Quyền Riêng Tư' });
    orders = [
      await createJobOrder(ctx.db, { agencyId: agency }),
      await createJobOrder(ctx.db, { agencyId: agency }),
      await createJobOrder(ctx.db, { agencyId: agency }),
    ];
    const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    agencyToken = await ctx.login(admin.email, admin.password);
    await ctx.as(agencyToken).put('/agency/webhook', { url: hookUrl, secret: WEBHOOK_SECRET }).expect(204);
    const regulator = await createUser(ctx.db, { role: 'regulator' });
    regulatorToken = await ctx.login(regulator.email, regulator.password);
  });

  afterAll(async () => {
    await ctx?.close();
    await sms.stop();
    await hooks.stop();
  });

  it("exports that phone's requests, consents and timelines, and nobody else's", async () => {
    const phone = nextPhone();
    const other = nextPhone();
    const codes = [await consult(phone, orders[0]), await consult(phone, orders[1])];
    await consult(other, orders[0], 'Người Khác Hẳn');
    await waitForAssigned(phone, 2);

    const { body } = await ctx.as(ctx.applicantToken(phone)).get('/me/data').expect(200);
    expect(body.phone).toBe(e164(phone));
    expect(body.requests.map((r: { trackingCode: string }) => r.trackingCode).sort()).toEqual(codes.sort());
    expect(body.requests[0]).toMatchObject({
      fullName: 'Lê Văn Quyền',
      phone: e164(phone),
      province: 'Nghệ An',
      birthYear: 1998,
      message: 'Tôi là Lê Văn Quyền, gọi tôi nhé',
      agency: { id: agency, name: 'Công ty Quyền Riêng Tư' },
      consents: [
        {
          purpose: 'consultation_routing',
          policyVersion: '2025-07',
          text: expect.stringContaining('Tôi đồng ý'),
          grantedAt: expect.any(String),
        },
      ],
    });
    expect(body.requests[0].timeline.map((e: { status: string }) => e.status)).toEqual([
      'received',
      'assigned',
    ]);
    expect(body.retention).toEqual({ months: 24 });
    expect(JSON.stringify(body)).not.toContain('Người Khác Hẳn');
    expect(JSON.stringify(body)).not.toContain(other.slice(1));

    const file = await ctx.as(ctx.applicantToken(phone)).get('/me/data?download=1').expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename=".+\.json"$/);
    expect(file.body.requests).toHaveLength(2);
    await request(ctx.http).get('/api/v1/me/data').expect(401);
  });

  it("withdraws a request: the agency's lead keeps no personal field and its webhook gets a signed event", async () => {
    const phone = nextPhone();
    const code = await consult(phone, orders[0], 'Phạm Rút Lui');
    const [row] = await waitForAssigned(phone, 1);

    await ctx.as(ctx.applicantToken(nextPhone())).post(`/me/consultations/${code}/withdraw`).expect(403);
    const { body } = await ctx
      .as(ctx.applicantToken(phone))
      .post(`/me/consultations/${code}/withdraw`)
      .expect(200);
    expect(body).toMatchObject({ trackingCode: code, status: 'withdrawn' });
    const again = await ctx
      .as(ctx.applicantToken(phone))
      .post(`/me/consultations/${code}/withdraw`)
      .expect(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');

    const leads = await ctx.as(agencyToken).get('/agency/consultations?limit=100').expect(200);
    const lead = leads.body.items.find((item: { id: string }) => item.id === row.id);
    expect(lead).toMatchObject({ status: 'withdrawn', fullName: null, phone: null, message: null });
    expect(JSON.stringify(leads.body)).not.toContain('Phạm Rút Lui');

    const hook = await ctx.waitFor(
      () => Promise.resolve(hooks.received.find((h) => parse(h).event === 'consultation.withdrawn')),
      10_000,
      'the consultation.withdrawn webhook',
    );
    expect(parse(hook)).toEqual({
      event: 'consultation.withdrawn',
      deliveryId: `consultation.withdrawn:${row.id}`,
      requestId: row.id,
    });
    expect(hook.headers['x-signature']).toBe(signatureOf(hook.body));
    expect(hook.headers['x-delivery-id']).toBe(`consultation.withdrawn:${row.id}`);
  });

  it("a recruiter report left with a call-back number is among that phone's data, and its erasure keeps the report without the number", async () => {
    const phone = nextPhone();
    const report = (reporterPhone?: string) =>
      request(ctx.http)
        .post('/api/v1/recruiters/reports')
        .send({
          recruiterName: 'Chị Hoa môi giới',
          recruiterPhone: '0912 345 678',
          promised: 'Đi Nhật không cần thi tiếng, bay trong 2 tháng',
          ...(reporterPhone ? { reporterPhone, consent: true } : {}),
        })
        .expect(202);
    const { body: mine } = await report(phone);
    await report();
    await report(nextPhone());

    const { body } = await ctx.as(ctx.applicantToken(phone)).get('/me/data').expect(200);
    expect(body.phone).toBe(e164(phone));
    expect(body.recruiterReports).toEqual([
      {
        id: mine.id,
        createdAt: expect.any(String),
        recruiterName: 'Chị Hoa môi giới',
        recruiterPhone: '+84912345678',
        recruiterLink: null,
        promised: 'Đi Nhật không cần thi tiếng, bay trong 2 tháng',
        callBackConsentAt: expect.any(String),
      },
    ]);

    const accepted = await ctx.as(ctx.applicantToken(phone)).delete('/me/data').expect(202);
    await erasureDone(accepted.body.erasureId);
    // Known only from the report, the phone still gets the erasure's last text.
    await ctx.waitFor(
      () =>
        Promise.resolve(
          sms.received
            .map(parse)
            .find((message) => message.to === e164(phone) && /xoa/.test(String(message.text))),
        ),
      10_000,
      'the text telling the erasure is done',
    );
    const { rows } = await ctx.db.query(
      `SELECT promised, reporter_phone_encrypted, reporter_phone_hash, reporter_consent_at
       FROM recruiter_reports WHERE id = $1`,
      [mine.id],
    );
    expect(rows).toEqual([
      {
        promised: 'Đi Nhật không cần thi tiếng, bay trong 2 tháng',
        reporter_phone_encrypted: null,
        reporter_phone_hash: null,
        reporter_consent_at: null,
      },
    ]);
    const { body: after } = await ctx.as(ctx.applicantToken(phone)).get('/me/data').expect(200);
    expect(after.recruiterReports).toEqual([]);
    // The other reporter's number stays.
    const { rows: others } = await ctx.db.query(
      `SELECT count(*)::int AS n FROM recruiter_reports WHERE reporter_phone_hash IS NOT NULL`,
    );
    expect(others[0].n).toBe(1);
  });

  it('a report filed before call-back numbers had a hash becomes findable when the worker starts', async () => {
    const phone = nextPhone();
    const { body: filed } = await request(ctx.http)
      .post('/api/v1/recruiters/reports')
      .send({
        recruiterName: 'Anh Tuấn môi giới',
        recruiterPhone: '0913 000 111',
        promised: 'Đi Đài Loan, đặt cọc 50 triệu',
        reporterPhone: phone,
        consent: true,
      })
      .expect(202);
    // As a report filed before the hash existed, and one whose number no longer opens.
    await ctx.db.query(`UPDATE recruiter_reports SET reporter_phone_hash = NULL WHERE id = $1`, [filed.id]);
    const { body: unreadable } = await request(ctx.http)
      .post('/api/v1/recruiters/reports')
      .send({
        recruiterName: 'Chị Lan môi giới',
        recruiterPhone: '0913 000 222',
        promised: 'Đi Hàn Quốc không cần thi',
        reporterPhone: nextPhone(),
        consent: true,
      })
      .expect(202);
    await ctx.db.query(
      `UPDATE recruiter_reports SET reporter_phone_hash = NULL, reporter_phone_encrypted = 'v1:broken' WHERE id = $1`,
      [unreadable.id],
    );
    const mine = async () =>
      (await ctx.as(ctx.applicantToken(phone)).get('/me/data').expect(200)).body.recruiterReports as {
        id: string;
      }[];
    expect(await mine()).toEqual([]);

    await ctx.stopWorker();
    await ctx.startWorker();
    const found = await ctx.waitFor(
      async () => {
        const reports = await mine();
        return reports.length ? reports : undefined;
      },
      10_000,
      'the earlier report in the phone’s data',
    );
    expect(found.map(({ id }) => id)).toEqual([filed.id]);
    const { rows } = await ctx.db.query(`SELECT reporter_phone_hash FROM recruiter_reports WHERE id = $1`, [
      unreadable.id,
    ]);
    expect(rows[0].reporter_phone_hash).toBeNull();
    expect(await ctx.worker!.get(DataRightsService).hashLegacyPhones()).toBe(0);
  });

  it('erases a phone for good: no ciphertext opens with any key held, and ranking, statistics and audit answer as before', async () => {
    const phone = nextPhone();
    for (const order of orders) await consult(phone, order, 'Đỗ Xoá Bỏ');
    const rows = await waitForAssigned(phone, 3);
    const before = {
      top: await settled('/agencies/top'),
      stats: await settled('/stats/departures?month=2025-01'),
      verify: await settled('/regulator/audit-log/verify', regulatorToken),
    };

    const accepted = await ctx.as(ctx.applicantToken(phone)).delete('/me/data').expect(202);
    expect(accepted.body).toEqual({ erasureId: expect.any(String), status: 'scheduled' });
    await erasureDone(accepted.body.erasureId);

    // Every key the system holds: the master key and every applicant key still stored.
    const { rows: keys } = await ctx.db.query<{ key_wrapped: string | null; phone_hash: string }>(
      `SELECT phone_hash, key_wrapped FROM applicant_keys`,
    );
    expect(keys.find((key) => key.phone_hash === cipher.lookupHash(e164(phone)))?.key_wrapped).toBeNull();
    const ciphers = [
      cipher,
      ...keys
        .filter((key) => key.key_wrapped)
        .map((key) => new KeyCipher(cipher.unwrapKey(key.key_wrapped!), 'a1')),
    ];
    const stored = await requestRows(phone);
    expect(stored.map((row) => row.id).sort()).toEqual(rows.map((row) => row.id).sort());
    for (const row of stored) {
      for (const sealed of [row.full_name_encrypted, row.phone_encrypted, row.message_encrypted]) {
        for (const candidate of ciphers) expect(() => candidate.decrypt(sealed ?? '')).toThrow();
      }
    }
    const { body: export_ } = await ctx.as(ctx.applicantToken(phone)).get('/me/data').expect(200);
    expect(JSON.stringify(export_)).not.toContain('Đỗ Xoá Bỏ');
    expect(export_.phone).toBeNull();

    expect(await settled('/agencies/top')).toBe(before.top);
    expect(await settled('/stats/departures?month=2025-01')).toBe(before.stats);
    expect(await settled('/regulator/audit-log/verify', regulatorToken)).toBe(before.verify);
    expect(JSON.parse(before.verify).valid).toBe(true);

    const erased = await ctx.waitFor(
      () => {
        const ids = events('applicant.erased').map((event) => event.requestId);
        return Promise.resolve(ids.length >= 3 ? ids : undefined);
      },
      10_000,
      'the applicant.erased webhooks',
    );
    expect(erased.sort()).toEqual(rows.map((row) => row.id).sort());
    for (const hook of hooks.received.filter((h) => parse(h).event === 'applicant.erased')) {
      expect(hook.headers['x-signature']).toBe(signatureOf(hook.body));
    }
    const text = await ctx.waitFor(
      () =>
        Promise.resolve(
          sms.received
            .map(parse)
            .find((message) => message.to === e164(phone) && /xoa/.test(String(message.text))),
        ),
      10_000,
      'the text telling the erasure is done',
    );
    expect(text.text).not.toMatch(/\d{6}/);
  });

  it('retention erases the personal fields of a request untouched past the window and leaves a newer one', async () => {
    const oldPhone = nextPhone();
    const newPhone = nextPhone();
    await consult(oldPhone, orders[0], 'Người Cũ');
    await consult(newPhone, orders[0], 'Người Mới');
    await waitForAssigned(oldPhone, 1);
    await waitForAssigned(newPhone, 1);
    const [old] = await requestRows(oldPhone);
    await ctx.db.query(
      `UPDATE consultation_requests SET updated_at = now() - interval '25 months' WHERE id = $1`,
      [old.id],
    );

    const dataRights = ctx.worker!.get(DataRightsService, { strict: false });
    expect(await dataRights.eraseExpired()).toBe(1);
    expect(await dataRights.eraseExpired()).toBe(0);

    const { body: oldData } = await ctx.as(ctx.applicantToken(oldPhone)).get('/me/data').expect(200);
    expect(oldData.requests[0]).toMatchObject({ fullName: null, phone: null, message: null });
    expect(oldData.requests[0].personalDataErasedAt).toEqual(expect.any(String));
    const { body: newData } = await ctx.as(ctx.applicantToken(newPhone)).get('/me/data').expect(200);
    expect(newData.requests[0]).toMatchObject({ fullName: 'Người Mới', phone: e164(newPhone) });

    const { rows: audit } = await ctx.db.query(
      `SELECT after FROM audit_log WHERE action = 'personal_data.retention' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit[0].after).toEqual({ erased: 1, months: 24 });
  });
});

function parse(hook: ReceivedHook): Record<string, unknown> {
  return JSON.parse(hook.body) as Record<string, unknown>;
}

function signatureOf(body: string): string {
  return `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
}
