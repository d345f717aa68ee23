import request from 'supertest';

import { canonicalJson, entryHash, GENESIS_HASH, PersonalDataCipher } from '@app/core';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser, jobOrderDraft } from './helpers/factories';

const YEAR = new Date().getUTCFullYear();
// 180,000 JPY at the seeded 170 VND/JPY, for 36 months: the general cap of 3 months' salary.
const SALARY_VND = 180_000 * 170;
const FEE_CAP_36_MONTHS = 3 * SALARY_VND;

describe('the agency workspace', () => {
  let ctx: TestContext;
  let agency: string;
  let token: string;
  let staffToken: string;

  /** The regulator's decision, made directly until the regulator console exists in this file's scope. */
  const approve = (id: string, headcount = 20) =>
    ctx.db.query(
      `UPDATE job_orders SET registration_status = 'approved', registration_number = 'DK-123/QLLĐNN',
         registration_approved_on = '2026-11-01', approved_headcount = $2 WHERE id = $1`,
      [id, headcount],
    );
  const createApproved = async (overrides: Record<string, unknown> = {}) => {
    const { body } = await ctx.as(token).post('/agency/job-orders', jobOrderDraft(overrides)).expect(201);
    await ctx.as(token).post(`/agency/job-orders/${body.id}/submit`).expect(200);
    await approve(body.id);
    return body.id as string;
  };
  const auditActions = async (entityId: string) =>
    (
      await ctx.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [entityId],
      )
    ).rows.map((row) => row.action);

  beforeAll(async () => {
    ctx = await TestContext.create();
    agency = await createAgency(ctx.db, { name: 'Công ty Nhân lực Năm Châu' });
    const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    const staff = await createUser(ctx.db, { role: 'agency_staff', agencyId: agency });
    token = await ctx.login(admin.email, admin.password);
    staffToken = await ctx.login(staff.email, staff.password);
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('agency sign-up', () => {
    const signup = (overrides: Record<string, unknown> = {}) =>
      request(ctx.http)
        .post('/api/v1/auth/agency-signup')
        .send({
          agencyName: 'Công ty Cổ phần Abey’s Việt Nam',
          licenseNumber: '321/LĐTBXH-GP',
          enterpriseCode: '0109876543',
          email: 'tuyendung@abeys.example.vn',
          password: 'một mật khẩu dài đủ',
          province: 'Hà Giang',
          ...overrides,
        });

    it('creates a pending agency and its first admin, who can prepare drafts but not submit them', async () => {
      const { body } = await signup().expect(201);
      expect(body.agency).toMatchObject({ licenseStatus: 'pending_verification' });
      expect(body.user).toMatchObject({ role: 'agency_admin', agencyId: body.agency.id });
      const { rows } = await ctx.db.query(
        `SELECT license_status, province_code FROM agencies WHERE id = $1`,
        [body.agency.id],
      );
      // Hà Giang is a former province, now part of Tuyên Quang.
      expect(rows[0]).toEqual({ license_status: 'pending_verification', province_code: 'tuyen-quang' });
      expect(await auditActions(body.agency.id)).toEqual(['agency.signup']);

      const pending = await ctx.login('tuyendung@abeys.example.vn', 'một mật khẩu dài đủ');
      const draft = await ctx.as(pending).post('/agency/job-orders', jobOrderDraft()).expect(201);
      const refused = await ctx.as(pending).post(`/agency/job-orders/${draft.body.id}/submit`).expect(403);
      expect(refused.body.code).toBe('AGENCY_NOT_ACTIVE');
      // Nor add to the public departure statistics.
      const report = { month: '2023-05', country: 'JP', total: 100000, women: 0 };
      expect((await ctx.as(pending).post('/agency/departure-reports', report).expect(403)).body.code).toBe(
        'AGENCY_NOT_ACTIVE',
      );
      // A pending agency is not public.
      const listing = await request(ctx.http).get('/api/v1/job-orders').expect(200);
      expect(listing.body.items.map((item: { id: string }) => item.id)).not.toContain(draft.body.id);
    });

    it('refuses a licence number or email already registered, creating nothing', async () => {
      const sameLicence = await signup({
        enterpriseCode: '0100000001',
        email: 'khac@abeys.example.vn',
      }).expect(409);
      expect(sameLicence.body.code).toBe('LICENSE_TAKEN');
      const sameEmail = await signup({ licenseNumber: '999/LĐTBXH-GP', enterpriseCode: '0100000002' }).expect(
        409,
      );
      expect(sameEmail.body.code).toBe('EMAIL_TAKEN');
      const { rows } = await ctx.db.query(
        `SELECT count(*)::int AS n FROM agencies WHERE license_number = '999/LĐTBXH-GP'`,
      );
      expect(rows[0].n).toBe(0);
    });

    it('rejects a bad enterprise code and cannot be used to set the licence status', async () => {
      const bad = await signup({ enterpriseCode: '12ab', licenseStatus: 'active' }).expect(400);
      expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'enterpriseCode',
        'licenseStatus',
      ]);
    });
  });

  describe('job orders', () => {
    it('creates a draft with its VND estimate, total cost and legal caps', async () => {
      const { body } = await ctx.as(staffToken).post('/agency/job-orders', jobOrderDraft()).expect(201);
      expect(body).toMatchObject({
        registration: { status: 'draft' },
        publicationStatus: 'draft',
        salaryVndEstimate: SALARY_VND,
        totalCostVnd: FEE_CAP_36_MONTHS + 12_000_000,
        compliance: {
          serviceFeeCapVnd: FEE_CAP_36_MONTHS,
          depositCapVnd: 0,
          withinCaps: true,
          publishable: false,
          violations: [expect.objectContaining({ code: 'REGISTRATION_NOT_PUBLISHABLE' })],
        },
      });
      expect(await auditActions(body.id)).toEqual(['job_order.create']);
    });

    it('checks codes against the taxonomies and a program against its country', async () => {
      const { body } = await ctx
        .as(token)
        .post(
          '/agency/job-orders',
          jobOrderDraft({
            industry: 'alchemy',
            program: 'tw_worker',
            salary: { amount: 5, currency: 'XAU' },
          }),
        )
        .expect(400);
      expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'industry',
        'program',
        'salary.currency',
      ]);
    });

    it('rejects mass assignment of registration, publication, counters, ownership and licence fields', async () => {
      const { body: draft } = await ctx.as(token).post('/agency/job-orders', jobOrderDraft()).expect(201);
      const other = await createAgency(ctx.db);
      for (const field of [
        { registrationStatus: 'approved' },
        { approvedHeadcount: 500 },
        { registration: { status: 'approved' } },
        { publicationStatus: 'published' },
        { views: 100000 },
        { consultationCount: 5 },
        { agencyId: other },
        { agency: { licenseStatus: 'active' } },
        { licenseStatus: 'active' },
        { totalCostVnd: 1 },
        { salaryVndEstimate: 1 },
      ]) {
        const created = await ctx.as(token).post('/agency/job-orders', jobOrderDraft(field));
        expect([created.status, created.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        const patched = await ctx.as(token).patch(`/agency/job-orders/${draft.id}`, field);
        expect([patched.status, patched.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      const { rows } = await ctx.db.query(
        `SELECT registration_status, publication_status, views, agency_id, total_cost_vnd FROM job_orders WHERE id = $1`,
        [draft.id],
      );
      expect(rows[0]).toEqual({
        registration_status: 'draft',
        publication_status: 'draft',
        views: 0,
        agency_id: agency,
        total_cost_vnd: draft.totalCostVnd,
      });
      const { rows: others } = await ctx.db.query(
        `SELECT count(*)::int AS n FROM job_orders WHERE agency_id = $1`,
        [other],
      );
      expect(others[0].n).toBe(0);
    });

    it('locks the registered terms once submitted, but lets descriptive text change', async () => {
      const { body } = await ctx.as(token).post('/agency/job-orders', jobOrderDraft()).expect(201);
      await ctx
        .as(token)
        .patch(`/agency/job-orders/${body.id}`, { costs: { serviceFeeVnd: 1_000_000 } })
        .expect(200);
      const submitted = await ctx.as(token).post(`/agency/job-orders/${body.id}/submit`).expect(200);
      expect(submitted.body.registration.status).toBe('submitted');
      await ctx.as(token).post(`/agency/job-orders/${body.id}/submit`).expect(409);

      const locked = await ctx
        .as(token)
        .patch(`/agency/job-orders/${body.id}`, {
          salary: { amount: 150000, currency: 'JPY' },
          contractMonths: 12,
        })
        .expect(409);
      expect(locked.body.code).toBe('REGISTRATION_LOCKED');
      expect(locked.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'contractMonths',
        'salary.amount',
      ]);
      const edited = await ctx
        .as(token)
        .patch(`/agency/job-orders/${body.id}`, { title: 'Tuyển 16 Nam chế biến cơm hộp tại Gunma' })
        .expect(200);
      expect(edited.body).toMatchObject({
        title: 'Tuyển 16 Nam chế biến cơm hộp tại Gunma',
        costs: { serviceFeeVnd: 1_000_000 },
      });
      expect(await auditActions(body.id)).toEqual([
        'job_order.create',
        'job_order.update',
        'job_order.submit',
        'job_order.update',
      ]);
    });

    it('publishes at the fee cap and refuses one đồng over it', async () => {
      const atCap = await createApproved();
      const published = await ctx.as(token).post(`/agency/job-orders/${atCap}/publish`).expect(200);
      expect(published.body).toMatchObject({
        publicationStatus: 'published',
        compliance: { withinCaps: true },
      });
      const detail = await request(ctx.http).get(`/api/v1/job-orders/${atCap}`).expect(200);
      expect(detail.body.compliance).toEqual({
        serviceFeeCapVnd: FEE_CAP_36_MONTHS,
        depositCapVnd: 0,
        withinCaps: true,
      });

      const over = await createApproved({ costs: { serviceFeeVnd: FEE_CAP_36_MONTHS + 1 } });
      const refused = await ctx.as(token).post(`/agency/job-orders/${over}/publish`).expect(422);
      expect(refused.body).toMatchObject({
        code: 'FEE_OVER_CAP',
        violations: [
          { code: 'FEE_OVER_CAP', rule: 5, limit: FEE_CAP_36_MONTHS, actual: FEE_CAP_36_MONTHS + 1 },
        ],
        errors: [{ field: 'costs.serviceFeeVnd', message: expect.any(String) }],
      });
      await request(ctx.http).get(`/api/v1/job-orders/${over}`).expect(404);
      // A refused publish leaves no trace in the audit log: the entry commits with the change or not at all.
      expect(await auditActions(over)).toEqual(['job_order.create', 'job_order.submit']);
    });

    it('lists every violated rule at once', async () => {
      const id = await createApproved({
        openings: 30,
        birthYearTo: YEAR - 17,
        costs: { serviceFeeVnd: FEE_CAP_36_MONTHS + 1, depositVnd: 1, brokerageVnd: 5_000_000 },
      });
      const { body } = await ctx.as(token).post(`/agency/job-orders/${id}/publish`).expect(422);
      expect(body.violations.map((violation: { code: string }) => violation.code)).toEqual([
        'OPENINGS_OVER_APPROVED_HEADCOUNT',
        'AGE_RANGE_ADMITS_MINORS',
        'FEE_OVER_CAP',
        'BROKERAGE_FEE_NOT_ALLOWED',
        'DEPOSIT_OVER_CAP',
      ]);
      expect(body.code).toBe('OPENINGS_OVER_APPROVED_HEADCOUNT');
    });

    it('refuses to publish before registration, and Korea EPS from anyone but the public centre', async () => {
      const { body: draft } = await ctx.as(token).post('/agency/job-orders', jobOrderDraft()).expect(201);
      const early = await ctx.as(token).post(`/agency/job-orders/${draft.id}/publish`).expect(422);
      expect(early.body.code).toBe('REGISTRATION_NOT_PUBLISHABLE');

      const eps = await createApproved({
        country: 'KR',
        program: 'kr_eps',
        industry: 'manufacturing',
        salary: { amount: 2_100_000, currency: 'KRW' },
        costs: {},
      });
      const { body } = await ctx.as(token).post(`/agency/job-orders/${eps}/publish`).expect(422);
      expect(body.violations.map((violation: { code: string }) => violation.code)).toContain(
        'EPS_ONLY_PUBLIC_CENTRE',
      );
    });

    it('flags suspicious wording for a regulator without blocking the listing', async () => {
      const id = await createApproved({ description: 'Bao đỗ 100%, không cần học tiếng, đặt cọc tiền mặt.' });
      await ctx.as(token).post(`/agency/job-orders/${id}/publish`).expect(200);
      const { rows } = await ctx.db.query<{ code: string; details: { phrase: string } }>(
        `SELECT code, details FROM flags WHERE job_order_id = $1 AND status = 'open' ORDER BY details->>'phrase'`,
        [id],
      );
      expect(rows.map((row) => row.details.phrase)).toEqual([
        'bao do',
        'coc tien mat',
        'dat coc tien mat',
        'khong can hoc tieng',
      ]);
      // Publishing again raises no copies.
      await ctx.as(token).post(`/agency/job-orders/${id}/close`).expect(200);
      await ctx.as(token).post(`/agency/job-orders/${id}/publish`).expect(200);
      const again = await ctx.db.query(`SELECT count(*)::int AS n FROM flags WHERE job_order_id = $1`, [id]);
      expect(again.rows[0].n).toBe(4);
    });

    it('closes a listing, which leaves the public catalogue', async () => {
      const id = await createApproved();
      await ctx.as(token).post(`/agency/job-orders/${id}/publish`).expect(200);
      await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(200);
      const closed = await ctx.as(token).post(`/agency/job-orders/${id}/close`).expect(200);
      expect(closed.body.publicationStatus).toBe('closed');
      await request(ctx.http).get(`/api/v1/job-orders/${id}`).expect(404);
      await ctx.as(token).post(`/agency/job-orders/${id}/close`).expect(409);
      expect(await auditActions(id)).toEqual([
        'job_order.create',
        'job_order.submit',
        'job_order.publish',
        'job_order.close',
      ]);
    });

    it('lists only its own orders, filtered and paged', async () => {
      const other = await createAgency(ctx.db);
      const otherAdmin = await createUser(ctx.db, { role: 'agency_admin', agencyId: other });
      const otherToken = await ctx.login(otherAdmin.email, otherAdmin.password);
      const { body: theirs } = await ctx
        .as(otherToken)
        .post('/agency/job-orders', jobOrderDraft())
        .expect(201);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await ctx
          .as(token)
          .get(`/agency/job-orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((item: { id: string }) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      const { rows } = await ctx.db.query(
        `SELECT id FROM job_orders WHERE agency_id = $1 ORDER BY created_at DESC, id DESC`,
        [agency],
      );
      expect(seen).toEqual(rows.map((row) => row.id));
      expect(seen).not.toContain(theirs.id);

      const forged = Buffer.from(JSON.stringify(['not a time', theirs.id])).toString('base64url');
      const badCursor = await ctx.as(token).get(`/agency/job-orders?cursor=${forged}`).expect(400);
      expect(badCursor.body.code).toBe('INVALID_CURSOR');
      const published = await ctx.as(token).get('/agency/job-orders?publicationStatus=published').expect(200);
      expect(published.body.items.length).toBeGreaterThan(0);
      expect(
        published.body.items.every(
          (item: { publicationStatus: string }) => item.publicationStatus === 'published',
        ),
      ).toBe(true);
      await ctx.as(token).get(`/agency/job-orders/${theirs.id}`).expect(404);
    });

    it('lets a suspended agency read and close, but not publish, from the next request on', async () => {
      const id = await createApproved();
      const live = await createApproved();
      await ctx.as(token).post(`/agency/job-orders/${live}/publish`).expect(200);
      await ctx.db.query(`UPDATE agencies SET license_status = 'suspended' WHERE id = $1`, [agency]);
      try {
        await ctx.as(token).get('/agency/job-orders').expect(200);
        const refused = await ctx.as(token).post(`/agency/job-orders/${id}/publish`).expect(403);
        expect(refused.body.code).toBe('AGENCY_NOT_ACTIVE');
        await ctx.as(token).post('/agency/job-orders', jobOrderDraft()).expect(403);
        await ctx.as(token).post(`/agency/job-orders/${live}/close`).expect(200);
      } finally {
        await ctx.db.query(`UPDATE agencies SET license_status = 'active' WHERE id = $1`, [agency]);
      }
    });
  });

  describe('departure reports', () => {
    it('records a month, corrects it on a second report, and validates the figures', async () => {
      const first = await ctx
        .as(token)
        .post('/agency/departure-reports', { month: '2023-05', country: 'jp', total: 120, women: 50 })
        .expect(201);
      expect(first.body).toMatchObject({ month: '2023-05', country: 'JP', total: 120, women: 50 });
      const corrected = await ctx
        .as(staffToken)
        .post('/agency/departure-reports', { month: '2023-05', country: 'JP', total: 125, women: 51 })
        .expect(200);
      expect(corrected.body.id).toBe(first.body.id);
      expect(await auditActions(first.body.id)).toEqual([
        'departure_report.create',
        'departure_report.correct',
      ]);

      const bad = await ctx
        .as(token)
        .post('/agency/departure-reports', { month: `${YEAR + 1}-01`, country: 'ZZ', total: 3, women: 4 })
        .expect(400);
      expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'country',
        'month',
        'women',
      ]);
      await ctx
        .as(token)
        .post('/agency/departure-reports', { month: '2023-13', country: 'JP', total: 1, women: 0 })
        .expect(400);

      const other = await createAgency(ctx.db);
      const otherAdmin = await createUser(ctx.db, { role: 'agency_admin', agencyId: other });
      const theirs = await ctx
        .as(await ctx.login(otherAdmin.email, otherAdmin.password))
        .get('/agency/departure-reports')
        .expect(200);
      expect(theirs.body.items).toEqual([]);
      const mine = await ctx.as(token).get('/agency/departure-reports').expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ month: '2023-05', total: 125, women: 51 })]);
    });
  });

  describe('leads', () => {
    it('audits every read of applicants’ personal data and every status change', async () => {
      const cipher = ctx.api.get(PersonalDataCipher);
      const jobOrderId = await createJobOrder(ctx.db, { agencyId: agency });
      const { rows } = await ctx.db.query(
        `INSERT INTO consultation_requests (tracking_code, job_order_id, agency_id, full_name_encrypted,
           phone_encrypted, phone_hash, province_code, birth_year, status, assigned_at)
         VALUES ('AUDIT23456', $1, $2, $3, $4, $5, 'nghe-an', 2000, 'assigned', now()) RETURNING id`,
        [
          jobOrderId,
          agency,
          cipher.encrypt('Hồ Thị Mai'),
          cipher.encrypt('+84987654321'),
          cipher.lookupHash('+84987654321'),
        ],
      );
      const lead = rows[0].id as string;
      const { body } = await ctx.as(staffToken).get('/agency/consultations').expect(200);
      expect(body.items).toEqual([
        expect.objectContaining({ id: lead, fullName: 'Hồ Thị Mai', phone: '+84987654321' }),
      ]);
      await ctx.as(staffToken).patch(`/agency/consultations/${lead}`, { status: 'contacted' }).expect(200);

      const { rows: entries } = await ctx.db.query(
        `SELECT action, actor_role, entity_id, after FROM audit_log
         WHERE action LIKE 'consultation.%' ORDER BY id`,
      );
      expect(entries).toEqual([
        {
          action: 'consultation.read_personal_data',
          actor_role: 'agency_staff',
          entity_id: agency,
          after: { requestIds: [lead] },
        },
        {
          action: 'consultation.contact',
          actor_role: 'agency_staff',
          entity_id: lead,
          after: { status: 'contacted', outcome: null, agencyId: agency },
        },
      ]);
      expect(JSON.stringify(entries)).not.toContain('987654321');

      const { rows: unreached } = await ctx.db.query(
        `INSERT INTO consultation_requests (tracking_code, job_order_id, agency_id, full_name_encrypted,
           phone_encrypted, phone_hash, province_code, birth_year, status, assigned_at)
         VALUES ('AUDIT23457', $1, $2, $3, $4, $5, 'nghe-an', 2000, 'assigned', now()) RETURNING id`,
        [
          jobOrderId,
          agency,
          cipher.encrypt('Vũ Văn Nam'),
          cipher.encrypt('+84987654322'),
          cipher.lookupHash('+84987654322'),
        ],
      );
      await ctx
        .as(staffToken)
        .patch(`/agency/consultations/${unreached[0].id}`, { status: 'closed', outcome: 'no_answer' })
        .expect(200);
      const { rows: closed } = await ctx.db.query(
        `SELECT status, first_contacted_at FROM consultation_requests WHERE id = $1`,
        [unreached[0].id],
      );
      // Closed unanswered is not a contact: it earns no responsiveness and opens no review.
      expect(closed[0]).toEqual({ status: 'closed', first_contacted_at: null });
    });
  });

  describe('the agency profile', () => {
    const check = (phone: string) =>
      request(ctx.http).get('/api/v1/recruiters/check').query({ phone }).expect(200);

    it('lets the agency admin correct its hotline: "check before you pay" finds the new number, not the old', async () => {
      await ctx.as(token).patch('/agency/profile', { hotline: '024 3333 8888' }).expect(200);
      const { body } = await ctx
        .as(token)
        .patch('/agency/profile', { hotline: '0912 345 678', website: 'https://namchau.example.vn' })
        .expect(200);
      expect(body).toMatchObject({
        id: agency,
        name: 'Công ty Nhân lực Năm Châu',
        hotline: '0912 345 678',
        website: 'https://namchau.example.vn',
      });
      expect((await ctx.as(staffToken).get('/agency/profile').expect(200)).body).toEqual(body);

      expect((await check('+84912345678')).body.agencies).toEqual([
        expect.objectContaining({ id: agency, matchedBy: 'hotline', hotline: '0912 345 678' }),
      ]);
      expect((await check('02433338888')).body.agencies).toEqual([]);

      const { rows } = await ctx.db.query(
        `SELECT actor_role, before, after FROM audit_log
          WHERE entity_id = $1 AND action = 'agency.profile_update' ORDER BY id`,
        [agency],
      );
      expect(rows.at(-1)).toEqual({
        actor_role: 'agency_admin',
        before: { hotline: '024 3333 8888', website: null },
        after: { hotline: '0912 345 678', website: 'https://namchau.example.vn' },
      });
    });

    it('clears a field given empty, and records nothing when nothing changes', async () => {
      await ctx.as(token).patch('/agency/profile', { address: 'Số 1 Phố Huế, Hà Nội' }).expect(200);
      const entries = async () =>
        (await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1`, [agency]))
          .rows[0].n as number;
      const counted = await entries();
      await ctx.as(token).patch('/agency/profile', { address: 'Số 1 Phố Huế, Hà Nội' }).expect(200);
      await ctx.as(token).patch('/agency/profile', {}).expect(200);
      expect(await entries()).toBe(counted);

      const { body } = await ctx.as(token).patch('/agency/profile', { address: '' }).expect(200);
      expect(body.address).toBeNull();
      expect(body.hotline).toBe('0912 345 678');
    });

    it('refuses staff, the regulator’s fields and malformed values, changing nothing', async () => {
      const before = (await ctx.as(token).get('/agency/profile').expect(200)).body;
      await ctx.as(staffToken).patch('/agency/profile', { hotline: '0900000000' }).expect(403);
      for (const [body, field] of [
        [{ name: 'Công ty Khác' }, 'name'],
        [{ licenseNumber: '1/LĐTBXH-GP' }, 'licenseNumber'],
        [{ hotline: 'gọi Zalo' }, 'hotline'],
        [{ website: 'javascript:alert(1)' }, 'website'],
        [{ address: 'a\u0000b' }, 'address'],
        [{ hotline: null }, 'hotline'],
      ] as const) {
        const res = await ctx.as(token).patch('/agency/profile', body).expect(400);
        expect(JSON.stringify(res.body)).toContain(field);
      }
      expect((await ctx.as(token).get('/agency/profile').expect(200)).body).toEqual(before);
    });
  });

  describe('the audit trail of this file', () => {
    it('is one unbroken hash chain covering every entry', async () => {
      const { rows } = await ctx.db.query(`SELECT * FROM audit_log ORDER BY id`);
      expect(rows.length).toBeGreaterThan(20);
      let prev = GENESIS_HASH;
      rows.forEach((row, i) => {
        expect(Number(row.id)).toBe(i + 1);
        expect(row.prev_hash).toBe(prev);
        const hash = entryHash(prev, {
          id: Number(row.id),
          at: row.at,
          actorId: row.actor_id,
          actorRole: row.actor_role,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          before: row.before,
          after: row.after,
        });
        expect(row.hash).toBe(hash);
        prev = hash;
      });
      expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    });
  });
});
