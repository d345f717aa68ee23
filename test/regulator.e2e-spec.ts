import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

const YEAR = new Date().getUTCFullYear();
const SUSPENSION_BOUND_MS = 5000;

describe("the regulator's console", () => {
  let ctx: TestContext;
  let regulatorToken: string;
  let agencyToken: string;
  let agency: string;
  let phoneSerial = 3000000;

  const nextPhone = () => `09${String(phoneSerial++).padStart(8, '0')}`;
  const consult = (jobOrderId: string, overrides: Record<string, unknown> = {}) =>
    request(ctx.http)
      .post('/api/v1/consultations')
      .send({
        jobOrderId,
        fullName: 'Lê Thị Hoa',
        phone: nextPhone(),
        province: 'Nghệ An',
        birthYear: 1999,
        consent: true,
        ...overrides,
      });
  const publicIds = async () =>
    (await request(ctx.http).get('/api/v1/job-orders?limit=100').expect(200)).body.items.map(
      (item: { id: string }) => item.id,
    );
  const requestStatus = async (trackingCode: string) =>
    (
      await ctx.db.query<{ status: string; rejection_reason: string | null }>(
        `SELECT status, rejection_reason FROM consultation_requests WHERE tracking_code = $1`,
        [trackingCode],
      )
    ).rows[0];
  /** Polls until `attempt` gives the expected status; returns the time it took. */
  const msUntil = async (attempt: () => Promise<request.Response>, status: number, code?: string) => {
    const started = Date.now();
    await ctx.waitFor(
      async () => {
        const response = await attempt();
        return response.status === status && (!code || response.body.code === code) ? true : undefined;
      },
      SUSPENSION_BOUND_MS * 2,
      `HTTP ${status} ${code ?? ''}`,
    );
    return Date.now() - started;
  };
  const orderDraft = {
    title: 'Tuyển 10 Nam Kỹ sư vận hành máy CNC tại Osaka',
    occupation: 'Vận hành máy CNC',
    country: 'JP',
    workLocation: 'Osaka',
    industry: 'mechanical_cnc',
    program: 'jp_engineer',
    openings: 10,
    birthYearFrom: 1990,
    birthYearTo: YEAR - 18,
    salary: { amount: 230000, currency: 'JPY' },
    contractMonths: 36,
    costs: { serviceFeeVnd: 50_000_000 },
  };

  beforeAll(async () => {
    ctx = await TestContext.create({
      // The listing cache is on here: a licence decision must not leave stale pages behind.
      env: { LISTING_CACHE_TTL_SECONDS: '60', TRUSTED_PROXIES: 'loopback' },
    });
    agency = await createAgency(ctx.db, { name: 'Công ty Cổ phần Đông Á' });
    const regulator = await createUser(ctx.db, { role: 'regulator' });
    const agencyAdmin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    regulatorToken = await ctx.login(regulator.email, regulator.password);
    agencyToken = await ctx.login(agencyAdmin.email, agencyAdmin.password);
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('licences', () => {
    it('verifies a pending agency, which may then publish', async () => {
      const { body: signup } = await request(ctx.http)
        .post('/api/v1/auth/agency-signup')
        .send({
          agencyName: 'Công ty TNHH Nhân lực Hồng Lam',
          licenseNumber: '555/LĐTBXH-GP',
          enterpriseCode: '3000000555',
          email: 'hl@honglam.example.vn',
          password: 'mật khẩu của Hồng Lam',
        })
        .expect(201);
      const pending = await ctx
        .as(regulatorToken)
        .get('/regulator/agencies?licenseStatus=pending_verification')
        .expect(200);
      expect(pending.body.items.map((item: { id: string }) => item.id)).toEqual([signup.agency.id]);

      const { body } = await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${signup.agency.id}/license`, {
          status: 'active',
          reason: 'Đã đối chiếu giấy phép số 555',
        })
        .expect(200);
      expect(body).toMatchObject({
        licenseStatus: 'active',
        licenseStatusReason: 'Đã đối chiếu giấy phép số 555',
      });
      const token = await ctx.login('hl@honglam.example.vn', 'mật khẩu của Hồng Lam');
      const { body: order } = await ctx.as(token).post('/agency/job-orders', orderDraft).expect(201);
      await ctx.as(token).post(`/agency/job-orders/${order.id}/submit`).expect(200);
    });

    it('suspension hides every listing at once and stops new and queued requests within 5 seconds; reinstatement restores them', async () => {
      const target = await createAgency(ctx.db, { name: 'Công ty Xuất khẩu Lao động Minh Phát' });
      const listed = await createJobOrder(ctx.db, { agencyId: target });
      const second = await createJobOrder(ctx.db, { agencyId: target, country: 'TW' });
      expect(await publicIds()).toEqual(expect.arrayContaining([listed, second]));
      // Accepted before the decision, still queued: no worker runs yet.
      const queued = (await consult(listed).expect(202)).body.trackingCode as string;

      const decided = Date.now();
      await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${target}/license`, {
          status: 'suspended',
          reason: 'Thu phí vượt quy định',
        })
        .expect(200);
      expect(await publicIds()).not.toEqual(expect.arrayContaining([listed]));
      expect(await publicIds()).not.toContain(second);
      await request(ctx.http).get(`/api/v1/job-orders/${listed}`).expect(404);
      const refusedAfter = await msUntil(() => consult(listed), 422, 'AGENCY_NOT_ACTIVE');
      expect(Date.now() - decided).toBeLessThan(SUSPENSION_BOUND_MS);
      expect(refusedAfter).toBeLessThan(SUSPENSION_BOUND_MS);

      await ctx.startWorker();
      try {
        const rejected = await ctx.waitFor(
          async () => {
            const row = await requestStatus(queued);
            return row.status === 'rejected' ? row : undefined;
          },
          SUSPENSION_BOUND_MS,
          'the queued request to be rejected',
        );
        expect(rejected.rejection_reason).toBe('AGENCY_NOT_ACTIVE');
      } finally {
        await ctx.stopWorker();
      }
      const { rows: decisions } = await ctx.db.query(
        `SELECT l.actor_role, l.after FROM audit_log l JOIN consultation_requests r ON r.id::text = l.entity_id
         WHERE r.tracking_code = $1`,
        [queued],
      );
      expect(decisions).toEqual([
        { actor_role: 'system', after: { status: 'rejected', reason: 'AGENCY_NOT_ACTIVE' } },
      ]);
      const profile = await request(ctx.http).get(`/api/v1/agencies/${target}`).expect(200);
      expect(profile.body).toMatchObject({
        licenseStatus: 'suspended',
        licenseStatusReason: 'Thu phí vượt quy định',
        openOrders: 0,
      });

      await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${target}/license`, { status: 'active', reason: 'Đã khắc phục' })
        .expect(200);
      expect(await publicIds()).toEqual(expect.arrayContaining([listed, second]));
      expect(await msUntil(() => consult(listed), 202)).toBeLessThan(SUSPENSION_BOUND_MS);

      const { rows } = await ctx.db.query(
        `SELECT action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [target],
      );
      expect(rows).toEqual([
        {
          action: 'agency.suspend',
          before: { licenseStatus: 'active', reason: null },
          after: { licenseStatus: 'suspended', reason: 'Thu phí vượt quy định' },
        },
        {
          action: 'agency.reinstate',
          before: { licenseStatus: 'suspended', reason: 'Thu phí vượt quy định' },
          after: { licenseStatus: 'active', reason: 'Đã khắc phục' },
        },
      ]);
    });

    it('revocation is final and transitions are checked', async () => {
      const target = await createAgency(ctx.db);
      await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${target}/license`, { status: 'active', reason: 'đã hoạt động' })
        .expect(409);
      await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${target}/license`, { status: 'revoked', reason: 'Vi phạm nghiêm trọng' })
        .expect(200);
      const again = await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${target}/license`, { status: 'active', reason: 'xin cấp lại' })
        .expect(409);
      expect(again.body.code).toBe('INVALID_TRANSITION');
      await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${target}/license`, { status: 'expired', reason: 'x'.repeat(5) })
        .expect(400);
      await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/00000000-0000-4000-8000-000000000000/license`, {
          status: 'suspended',
          reason: 'không có',
        })
        .expect(404);
    });
  });

  describe('registration decisions and takedowns', () => {
    const submit = async () => {
      const { body } = await ctx.as(agencyToken).post('/agency/job-orders', orderDraft).expect(201);
      await ctx.as(agencyToken).post(`/agency/job-orders/${body.id}/submit`).expect(200);
      return body.id as string;
    };

    it('lists submitted orders and records an approval the agency then publishes under', async () => {
      const id = await submit();
      const queue = await ctx
        .as(regulatorToken)
        .get('/regulator/job-orders?registrationStatus=submitted')
        .expect(200);
      expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(id);

      const missing = await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, { decision: 'approved' })
        .expect(400);
      expect(missing.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'approvedHeadcount',
        'referenceNumber',
      ]);
      const approved = await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, {
          decision: 'approved',
          referenceNumber: '4321/QLLĐNN-ĐH',
          approvedOn: '2026-11-20',
          approvedHeadcount: 10,
        })
        .expect(200);
      expect(approved.body.registration).toMatchObject({
        status: 'approved',
        number: '4321/QLLĐNN-ĐH',
        approvedHeadcount: 10,
      });
      await ctx.as(agencyToken).post(`/agency/job-orders/${id}/publish`).expect(200);
      const detail = await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(200);
      expect(detail.body.registration).toEqual({
        status: 'approved',
        number: '4321/QLLĐNN-ĐH',
        approvedOn: '2026-11-20',
        approvedHeadcount: 10,
        feeCollectionAllowed: true,
      });
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, { decision: 'source_preparation' })
        .expect(409);
    });

    it('ends a live listing whose openings exceed the approved headcount, with a flag', async () => {
      const id = await submit();
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, { decision: 'source_preparation' })
        .expect(200);
      await ctx.as(agencyToken).post(`/agency/job-orders/${id}/publish`).expect(200);
      const { body } = await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, {
          decision: 'approved',
          referenceNumber: '77/QLLĐNN',
          approvedHeadcount: orderDraft.openings - 1,
        })
        .expect(200);
      expect(body).toMatchObject({ publicationStatus: 'closed', registration: { status: 'approved' } });
      expect(await publicIds()).not.toContain(id);
      const flags = await ctx.as(regulatorToken).get(`/regulator/flags?jobOrderId=${id}`).expect(200);
      expect(flags.body.items.map((flag: { code: string }) => flag.code)).toEqual([
        'OPENINGS_OVER_APPROVED_HEADCOUNT',
      ]);
    });

    it('lets a source-preparation order be listed, saying no fee may be collected yet', async () => {
      const id = await submit();
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, { decision: 'source_preparation' })
        .expect(200);
      await ctx.as(agencyToken).post(`/agency/job-orders/${id}/publish`).expect(200);
      const detail = await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(200);
      expect(detail.body.registration).toMatchObject({
        status: 'source_preparation',
        feeCollectionAllowed: false,
      });
    });

    it('rejects with a reason the agency sees, ending the listing', async () => {
      const id = await submit();
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, { decision: 'source_preparation' })
        .expect(200);
      await ctx.as(agencyToken).post(`/agency/job-orders/${id}/publish`).expect(200);
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, { decision: 'rejected' })
        .expect(400);
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/registration`, {
          decision: 'rejected',
          reason: 'Hợp đồng cung ứng không hợp lệ',
        })
        .expect(200);
      expect(await publicIds()).not.toContain(id);
      const seen = await ctx.as(agencyToken).get(`/agency/job-orders/${id}`).expect(200);
      expect(seen.body).toMatchObject({
        publicationStatus: 'closed',
        registration: { status: 'rejected', rejectionReason: 'Hợp đồng cung ứng không hợp lệ' },
      });
    });

    it('takes a listing down for good, with the reason shown to the agency', async () => {
      const id = await createJobOrder(ctx.db, { agencyId: agency });
      await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(200);
      await ctx.as(regulatorToken).post(`/regulator/job-orders/${id}/takedown`, {}).expect(400);
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/takedown`, { reason: 'Tin tuyển dụng sai sự thật' })
        .expect(200);
      expect(await publicIds()).not.toContain(id);
      const seen = await ctx.as(agencyToken).get(`/agency/job-orders/${id}`).expect(200);
      expect(seen.body).toMatchObject({
        publicationStatus: 'taken_down',
        takedownReason: 'Tin tuyển dụng sai sự thật',
      });
      const republish = await ctx.as(agencyToken).post(`/agency/job-orders/${id}/publish`).expect(409);
      expect(republish.body.code).toBe('ORDER_TAKEN_DOWN');
      await consult(id).expect(422);
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${id}/takedown`, { reason: 'lần nữa' })
        .expect(409);
    });
  });

  describe('the flag queue', () => {
    it('takes public reports, rate-limited, and resolves each flag once', async () => {
      const id = await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn hàng bị báo cáo' });
      const report = (body: object, ip = '1') =>
        request(ctx.http)
          .post(`/api/v1/job-orders/${id}/reports`)
          .set('X-Forwarded-For', `198.51.100.${ip}`)
          .send(body);

      const { body: accepted } = await report({
        reason: 'excessive_fees',
        detail: 'Thu 200 triệu',
        contactPhone: '0912 000 111',
      }).expect(202);
      await report({ reason: 'excessive_fees', contactPhone: '123' }).expect(400);
      await report({ reason: 'because' }).expect(400);
      await request(ctx.http)
        .post(`/api/v1/job-orders/00000000-0000-4000-8000-000000000000/reports`)
        .send({ reason: 'scam' })
        .expect(404);

      const queue = await ctx
        .as(regulatorToken)
        .get(`/regulator/flags?status=open&jobOrderId=${id}`)
        .expect(200);
      expect(queue.body.items).toEqual([
        expect.objectContaining({
          id: accepted.id,
          source: 'report',
          code: 'REPORT',
          status: 'open',
          jobOrder: { id, title: 'Đơn hàng bị báo cáo' },
          agency: { id: agency, name: 'Công ty Cổ phần Đông Á' },
          details: { reason: 'excessive_fees', detail: 'Thu 200 triệu' },
          contactPhone: '+84912000111',
        }),
      ]);
      const { rows } = await ctx.db.query(`SELECT contact_phone_encrypted FROM flags WHERE id = $1`, [
        accepted.id,
      ]);
      const { rows: audited } = await ctx.db.query(`SELECT after FROM audit_log WHERE entity_id = $1`, [
        accepted.id,
      ]);
      // The reporter's free text may name people: the append-only log keeps only the reason.
      expect(audited).toEqual([
        { after: { jobOrderId: id, code: 'REPORT', details: { reason: 'excessive_fees' } } },
      ]);
      expect(rows[0].contact_phone_encrypted).not.toContain('912000111');

      const resolved = await ctx
        .as(regulatorToken)
        .post(`/regulator/flags/${accepted.id}/resolve`, {
          decision: 'upheld',
          note: 'Đã xác minh phí thu vượt trần',
        })
        .expect(200);
      expect(resolved.body).toMatchObject({
        status: 'upheld',
        resolutionNote: 'Đã xác minh phí thu vượt trần',
      });
      await ctx
        .as(regulatorToken)
        .post(`/regulator/flags/${accepted.id}/resolve`, { decision: 'dismissed', note: 'đổi ý' })
        .expect(409);
      const upheld = await ctx
        .as(regulatorToken)
        .get(`/regulator/flags?status=upheld&jobOrderId=${id}`)
        .expect(200);
      expect(upheld.body.items).toHaveLength(1);

      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await report({ reason: 'scam' }, '2')).status);
      expect(statuses.filter((status) => status === 202)).toHaveLength(10);
      expect(statuses[10]).toBe(429);
    });

    it('queues the compliance engine’s wording flags', async () => {
      const { body } = await ctx
        .as(agencyToken)
        .post('/agency/job-orders', {
          ...orderDraft,
          description: 'Cam kết bao đỗ, nộp tiền vào tài khoản cá nhân.',
        })
        .expect(201);
      await ctx.as(agencyToken).post(`/agency/job-orders/${body.id}/submit`).expect(200);
      await ctx
        .as(regulatorToken)
        .post(`/regulator/job-orders/${body.id}/registration`, { decision: 'source_preparation' })
        .expect(200);
      await ctx.as(agencyToken).post(`/agency/job-orders/${body.id}/publish`).expect(200);
      const queue = await ctx.as(regulatorToken).get(`/regulator/flags?jobOrderId=${body.id}`).expect(200);
      expect(
        queue.body.items.map((flag: { details: { phrase: string } }) => flag.details.phrase).sort(),
      ).toEqual(['bao do', 'tai khoan ca nhan']);
      expect(queue.body.items.every((flag: { source: string }) => flag.source === 'compliance')).toBe(true);
    });
  });

  describe('recruitment suspensions', () => {
    it('refuses requests from suspended provinces (new or former names) for matching orders, also when already queued', async () => {
      const korea = await createJobOrder(ctx.db, {
        agencyId: agency,
        country: 'KR',
        program: 'kr_eps',
        salaryCurrency: 'KRW',
        salaryAmount: 2_100_000,
      });
      const japan = await createJobOrder(ctx.db, { agencyId: agency });
      const queued = (await consult(korea, { province: 'Bắc Giang' }).expect(202)).body
        .trackingCode as string;

      const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
      const { body: suspension } = await ctx
        .as(regulatorToken)
        .post('/regulator/recruitment-suspensions', {
          program: 'kr_eps',
          provinces: ['Bắc Ninh', 'Bắc Giang', 'nghe an'],
          from: today,
          to: `${YEAR + 1}-06-30`,
          reason: 'Tỷ lệ lao động bỏ trốn cao',
        })
        .expect(201);
      expect(suspension).toMatchObject({
        program: 'kr_eps',
        provinces: [
          { code: 'bac-ninh', name: 'Bắc Ninh' },
          { code: 'nghe-an', name: 'Nghệ An' },
        ],
        inForce: true,
      });

      expect(
        await msUntil(() => consult(korea, { province: 'Bắc Giang' }), 422, 'LOCALITY_SUSPENDED'),
      ).toBeLessThan(SUSPENSION_BOUND_MS);
      await consult(korea, { province: 'Hà Nội' }).expect(202);
      await consult(japan, { province: 'Bắc Giang' }).expect(202);

      await ctx.startWorker();
      try {
        const rejected = await ctx.waitFor(async () => {
          const row = await requestStatus(queued);
          return row.status === 'rejected' ? row : undefined;
        });
        expect(rejected.rejection_reason).toBe('LOCALITY_SUSPENDED');
      } finally {
        await ctx.stopWorker();
      }

      const active = await ctx
        .as(regulatorToken)
        .get('/regulator/recruitment-suspensions?active=true')
        .expect(200);
      expect(active.body.items.map((item: { id: string }) => item.id)).toEqual([suspension.id]);
      await ctx.as(regulatorToken).delete(`/regulator/recruitment-suspensions/${suspension.id}`).expect(204);
      await ctx.as(regulatorToken).delete(`/regulator/recruitment-suspensions/${suspension.id}`).expect(409);
      expect(await msUntil(() => consult(korea, { province: 'Bắc Giang' }), 202)).toBeLessThan(
        SUSPENSION_BOUND_MS,
      );
    });

    it('validates the target, the provinces and the period', async () => {
      const { body } = await ctx
        .as(regulatorToken)
        .post('/regulator/recruitment-suspensions', {
          provinces: ['Nghệ An', 'Atlantis'],
          from: '2027-01-10',
          to: '2027-01-01',
          reason: 'thử',
        })
        .expect(400);
      expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'program',
        'provinces.1',
        'to',
      ]);
    });
  });

  describe('the audit log', () => {
    it('lists entries by entity and actor, newest first', async () => {
      const { body } = await ctx
        .as(regulatorToken)
        .get(`/regulator/audit-log?entity=agency&limit=2`)
        .expect(200);
      expect(body.items).toHaveLength(2);
      expect(Number(body.items[0].id)).toBeGreaterThan(Number(body.items[1].id));
      const next = await ctx
        .as(regulatorToken)
        .get(`/regulator/audit-log?entity=agency&limit=100&cursor=${body.nextCursor}`)
        .expect(200);
      expect(next.body.items.every((item: { entityType: string }) => item.entityType === 'agency')).toBe(
        true,
      );
      expect(Number(next.body.items[0].id)).toBeLessThan(Number(body.items[1].id));
    });

    it('refuses UPDATE and DELETE, and verify names the exact entry tampered with', async () => {
      const before = await ctx.as(regulatorToken).get('/regulator/audit-log/verify').expect(200);
      const { rows } = await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log`);
      expect(before.body).toEqual({ valid: true, entries: rows[0].n });
      expect(rows[0].n).toBeGreaterThan(10);

      await expect(ctx.db.query(`UPDATE audit_log SET action = 'forged' WHERE id = 3`)).rejects.toThrow(
        /append-only/,
      );
      await expect(ctx.db.query(`DELETE FROM audit_log WHERE id = 3`)).rejects.toThrow(/append-only/);
      await expect(ctx.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);

      const original = (await ctx.db.query(`SELECT after FROM audit_log WHERE id = 5`)).rows[0].after;
      const tamper = async (sql: string) => {
        await ctx.db.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
        try {
          await ctx.db.query(sql);
        } finally {
          await ctx.db.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
        }
      };
      await tamper(`UPDATE audit_log SET after = jsonb_set(after, '{reason}', '"sửa lén"') WHERE id = 5`);
      const edited = await ctx.as(regulatorToken).get('/regulator/audit-log/verify').expect(200);
      expect(edited.body).toEqual({
        valid: false,
        entries: 4,
        brokenAt: { id: '5', reason: 'hash_mismatch' },
      });

      await ctx.db.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await ctx.db.query(`UPDATE audit_log SET after = $1 WHERE id = 5`, [original]);
      await ctx.db.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
      expect((await ctx.as(regulatorToken).get('/regulator/audit-log/verify').expect(200)).body.valid).toBe(
        true,
      );

      await tamper(`DELETE FROM audit_log WHERE id = 8`);
      const deleted = await ctx.as(regulatorToken).get('/regulator/audit-log/verify').expect(200);
      expect(deleted.body).toEqual({
        valid: false,
        entries: 7,
        brokenAt: { id: '8', reason: 'missing_entry' },
      });
    });
  });
});
