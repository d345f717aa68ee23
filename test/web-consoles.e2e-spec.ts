import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';
import { textOf, WebClient } from './helpers/web';

const YEAR = new Date().getUTCFullYear();

describe('web consoles', () => {
  let ctx: TestContext;
  let agency: string;
  let otherAgency: string;
  let order: string;
  let agencyAdmin: { id: string; email: string; password: string };
  let agencyStaff: { id: string; email: string; password: string };
  let regulator: { id: string; email: string; password: string };
  let admin: { id: string; email: string; password: string };

  const signedIn = async (user: { email: string; password: string }) => {
    const browser = new WebClient(ctx.http);
    const response = await browser.signIn(user.email, user.password);
    expect(response.status).toBe(303);
    return browser;
  };

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    agency = await createAgency(ctx.db, { name: 'Công ty Năm Châu <b>IMS</b>' });
    otherAgency = await createAgency(ctx.db, { name: 'Công ty Khác' });
    order = await createJobOrder(ctx.db, {
      agencyId: agency,
      title: 'Chế biến thực phẩm Gunma',
      industry: 'food_processing',
      birthYearFrom: 1990,
      birthYearTo: YEAR - 18,
    });
    agencyAdmin = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    agencyStaff = await createUser(ctx.db, { role: 'agency_staff', agencyId: agency });
    regulator = await createUser(ctx.db, { role: 'regulator' });
    admin = await createUser(ctx.db, { role: 'admin' });
  });

  afterAll(() => ctx.close());

  describe('signing in', () => {
    it('keeps the session in an HttpOnly, SameSite=Lax, Secure cookie and lands on the role’s console', async () => {
      const browser = new WebClient(ctx.http);
      const form = await browser.get('/dang-nhap');
      const response = await browser.submit(form, '/dang-nhap', {
        email: agencyAdmin.email,
        password: agencyAdmin.password,
      });
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/agency/don-hang');
      const cookies = (response.headers['set-cookie'] as unknown as string[]).join('\n');
      expect(cookies).toMatch(/xkld_session=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure/);
      const home = await browser.get('/agency/don-hang');
      expect(home.status).toBe(200);
      expect(home.headers['cache-control']).toBe('no-store');
    });

    it('refuses a wrong password, a sign-in without its token, and sends strangers to the sign-in page', async () => {
      const browser = new WebClient(ctx.http);
      const form = await browser.get('/dang-nhap');
      const wrong = await browser.submit(form, '/dang-nhap', { email: agencyAdmin.email, password: 'nope' });
      expect(wrong.status).toBe(401);
      expect(textOf(wrong.text)).toContain('Email hoặc mật khẩu không đúng.');
      const forged = await browser.post('/dang-nhap', {
        email: agencyAdmin.email,
        password: agencyAdmin.password,
      });
      expect(forged.status).toBe(403);
      const stranger = await request(ctx.http).get('/agency/khach-hang').expect(303);
      expect(stranger.headers.location).toBe('/dang-nhap?next=%2Fagency%2Fkhach-hang');
      const offsite = await browser.submit(form, '/dang-nhap', {
        email: agencyAdmin.email,
        password: agencyAdmin.password,
        next: '//evil.example/',
      });
      expect(offsite.headers.location).toBe('/agency/don-hang');
    });

    it('keeps each role to its console', async () => {
      const staff = await signedIn(agencyStaff);
      expect((await staff.get('/regulator/canh-bao')).status).toBe(403);
      expect((await staff.get('/agency/nhan-vien')).status).toBe(403);
      const officer = await signedIn(regulator);
      expect((await officer.get('/agency/khach-hang')).status).toBe(403);
      expect((await officer.get('/admin/nguoi-dung')).status).toBe(403);
    });
  });

  describe('the agency console', () => {
    it('shows the legal caps on the order form and each violation next to its field; publishing is refused', async () => {
      const browser = await signedIn(agencyAdmin);
      const form = await browser.get('/agency/don-hang/moi');
      expect(form.status).toBe(200);
      const created = await browser.submit(form, '/agency/don-hang/moi', {
        title: 'Tuyển 10 Nam cơ khí <img src=x onerror=alert(1)>',
        occupation: 'Cơ khí',
        country: 'JP',
        workLocation: 'Osaka',
        industry: 'manufacturing',
        program: 'jp_technical_intern',
        openings: '10',
        gender: 'male',
        birthYearFrom: '1990',
        birthYearTo: String(YEAR - 18),
        'salary.amount': '180000',
        'salary.currency': 'JPY',
        contractMonths: '36',
        'costs.serviceFeeVnd': '30000000',
        'costs.brokerageVnd': '5000000',
      });
      expect(created.status).toBe(303);
      const id = /\/agency\/don-hang\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
      const edit = await browser.get(`/agency/don-hang/${id}`);
      expect(edit.text).not.toContain('<img src=x');
      expect(edit.text).toMatch(/id="costs\.brokerageVnd-error"/);
      expect(textOf(edit.text)).toMatch(/Mức trần: [\d.]+ ₫/);
      const publish = await browser.submit(edit, `/agency/don-hang/${id}/dang-tin`);
      expect(publish.status).toBe(422);
      expect(publish.text).toMatch(/class="alert" role="alert">[^<]+</);
      expect(publish.text).toMatch(/id="costs\.brokerageVnd-error"/);
      const invalid = await browser.submit(edit, `/agency/don-hang/${id}`, {
        openings: 'many',
        'salary.amount': '180000',
        'salary.currency': 'JPY',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.text).toMatch(/id="openings-error"/);
    });

    it('submits, publishes and closes an order that keeps the rules', async () => {
      const browser = await signedIn(agencyAdmin);
      const draft = await createJobOrder(ctx.db, {
        agencyId: agency,
        publicationStatus: 'draft',
        registrationStatus: 'draft',
      });
      const page = await browser.get(`/agency/don-hang/${draft}`);
      expect((await browser.submit(page, `/agency/don-hang/${draft}/trinh-cuc`)).status).toBe(303);
      await ctx.db.query(
        `UPDATE job_orders SET registration_status = 'approved', approved_headcount = 10 WHERE id = $1`,
        [draft],
      );
      expect((await browser.submit(page, `/agency/don-hang/${draft}/dang-tin`)).status).toBe(303);
      expect((await request(ctx.http).get(`/don-hang/${draft}`)).status).toBe(200);
      expect((await browser.submit(page, `/agency/don-hang/${draft}/dung-tuyen`)).status).toBe(303);
      expect((await request(ctx.http).get(`/don-hang/${draft}`)).status).toBe(410);
    });

    it('shows a new lead with its phone only on the lead inbox, audits the read, and marks it contacted', async () => {
      const accepted = await request(ctx.http)
        .post('/api/v1/consultations')
        .send({
          jobOrderId: order,
          fullName: 'Phạm Thị <i>Dung</i>',
          phone: '0933333333',
          province: 'Hà Tĩnh',
          birthYear: 2000,
          consent: true,
        })
        .expect(202);
      await ctx.waitFor(async () => {
        const { rows } = await ctx.db.query(
          `SELECT status FROM consultation_requests WHERE tracking_code = $1`,
          [accepted.body.trackingCode],
        );
        return rows[0]?.status === 'assigned' ? true : undefined;
      });
      const browser = await signedIn(agencyStaff);
      const inbox = await browser.get('/agency/khach-hang');
      expect(inbox.status).toBe(200);
      expect(inbox.text).toContain('Phạm Thị &lt;i&gt;Dung&lt;/i&gt;');
      expect(inbox.text).toContain('+84933333333');
      expect(inbox.text).not.toContain(accepted.body.trackingCode);
      const { rows: reads } = await ctx.db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'consultation.read_personal_data' AND actor_id = $1`,
        [agencyStaff.id],
      );
      expect(reads[0].n).toBeGreaterThan(0);
      const leadId = /id="lead-([0-9a-f-]{36})"/.exec(inbox.text)![1];

      const forged = await browser.post(`/agency/khach-hang/${leadId}`, { status: 'contacted' });
      expect(forged.status).toBe(403);
      const marked = await browser.submit(inbox, `/agency/khach-hang/${leadId}`, { status: 'contacted' });
      expect(marked.status).toBe(303);
      const after = await browser.get('/agency/khach-hang');
      expect(textOf(after.text)).toContain('Doanh nghiệp đã liên hệ');

      const outsider = await signedIn(
        await createUser(ctx.db, { role: 'agency_admin', agencyId: otherAgency }),
      );
      const theirs = await outsider.get('/agency/khach-hang');
      expect(theirs.text).not.toContain('+84933333333');
      const reach = await outsider.submit(theirs, `/agency/khach-hang/${leadId}`, {
        status: 'closed',
        outcome: 'no_answer',
      });
      expect(reach.status).toBe(404);
    });

    it('saves the webhook for an agency admin only, and takes departure reports and staff', async () => {
      const admin = await signedIn(agencyAdmin);
      const page = await admin.get('/agency/ket-noi');
      const refused = await admin.submit(page, '/agency/ket-noi', { url: 'ftp://x', secret: 'short' });
      expect(refused.status).toBe(400);
      const saved = await admin.submit(page, '/agency/ket-noi', {
        url: 'http://127.0.0.1:9/hook',
        secret: 'a-secret-of-sixteen-plus',
      });
      expect(saved.status).toBe(303);
      const staff = await signedIn(agencyStaff);
      const staffPage = await staff.get('/agency/ket-noi');
      expect(
        (
          await staff.submit(staffPage, '/agency/ket-noi', {
            url: 'http://127.0.0.1:9/x',
            secret: 'a-secret-of-sixteen-plus',
          })
        ).status,
      ).toBe(403);

      const reports = await admin.get('/agency/xuat-canh');
      const reported = await admin.submit(reports, '/agency/xuat-canh', {
        month: '2023-05',
        country: 'JP',
        total: '120',
        women: '50',
      });
      expect(reported.status).toBe(303);
      expect(textOf((await admin.get('/agency/xuat-canh')).text)).toMatch(/2023-05 Nhật Bản 120 50/);
      const tooMany = await admin.submit(reports, '/agency/xuat-canh', {
        month: '2023-05',
        country: 'JP',
        total: '1',
        women: '5',
      });
      expect(tooMany.status).toBe(400);

      const staffList = await admin.get('/agency/nhan-vien');
      const added = await admin.submit(staffList, '/agency/nhan-vien', {
        email: 'nhanvien.moi@example.vn',
        password: 'mật khẩu đủ dài 123',
      });
      expect(added.status).toBe(303);
      const { rows } = await ctx.db.query(
        `SELECT role, agency_id FROM users WHERE email = 'nhanvien.moi@example.vn'`,
      );
      expect(rows[0]).toEqual({ role: 'agency_staff', agency_id: agency });
    });

    it('corrects the hotline from the profile page for the agency admin only, keeping each field’s error beside it', async () => {
      const admin = await signedIn(agencyAdmin);
      const page = await admin.get('/agency/ho-so');
      expect(page.status).toBe(200);
      const refused = await admin.submit(page, '/agency/ho-so', {
        hotline: 'gọi Zalo',
        website: 'https://namchau.example.vn',
        address: '',
      });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('id="hotline-error"');
      expect(refused.text).toContain('value="https://namchau.example.vn"');

      const saved = await admin.submit(page, '/agency/ho-so', {
        hotline: '024 3555 0199',
        website: '',
        address: 'Số 5 Láng Hạ, Hà Nội',
      });
      expect(saved.status).toBe(303);
      const { rows } = await ctx.db.query(`SELECT hotline, website, address FROM agencies WHERE id = $1`, [
        agency,
      ]);
      expect(rows[0]).toEqual({ hotline: '024 3555 0199', website: null, address: 'Số 5 Láng Hạ, Hà Nội' });

      const staff = await signedIn(agencyStaff);
      const staffPage = await staff.get('/agency/ho-so');
      expect(textOf(staffPage.text)).toContain('024 3555 0199');
      expect(staffPage.text).not.toContain('name="hotline"');
      expect((await staff.submit(staffPage, '/agency/ho-so', { hotline: '0900000000' })).status).toBe(403);
      expect(
        (await ctx.db.query(`SELECT hotline FROM agencies WHERE id = $1`, [agency])).rows[0].hotline,
      ).toBe('024 3555 0199');
    });
  });

  describe('the regulator console', () => {
    it('suspends an agency from the licence page and its orders leave the home page at once', async () => {
      const victim = await createAgency(ctx.db, { name: 'Công ty Bị Đình Chỉ' });
      const listed = await createJobOrder(ctx.db, { agencyId: victim, title: 'Đơn hàng sẽ bị ẩn' });
      expect((await request(ctx.http).get('/')).text).toContain(`/don-hang/${listed}`);
      const browser = await signedIn(regulator);
      const page = await browser.get('/regulator/doanh-nghiep?licenseStatus=active');
      expect(page.text).toContain(`id="agency-${victim}"`);
      const decided = await browser.submit(page, `/regulator/doanh-nghiep/${victim}`, {
        status: 'suspended',
        reason: 'Thu phí vượt mức trần',
      });
      expect(decided.status).toBe(303);
      expect((await request(ctx.http).get('/')).text).not.toContain(`/don-hang/${listed}`);
      const gone = await request(ctx.http).get(`/don-hang/${listed}`).expect(410);
      expect(textOf(gone.text)).toContain('Giấy phép của doanh nghiệp đăng tin hiện không còn hiệu lực.');
      const again = await browser.submit(page, `/regulator/doanh-nghiep/${victim}`, {
        status: 'suspended',
        reason: 'Lần nữa',
      });
      expect(again.status).toBe(409);
    });

    it('decides registrations, takes listings down and works the flag queue', async () => {
      const browser = await signedIn(regulator);
      const submitted = await createJobOrder(ctx.db, {
        agencyId: agency,
        registrationStatus: 'submitted',
        publicationStatus: 'draft',
      });
      const registrations = await browser.get('/regulator/dang-ky');
      expect(registrations.text).toContain(`id="order-${submitted}"`);
      const missing = await browser.submit(registrations, `/regulator/dang-ky/${submitted}`, {
        decision: 'approved',
      });
      expect(missing.status).toBe(400);
      const approved = await browser.submit(registrations, `/regulator/dang-ky/${submitted}`, {
        decision: 'approved',
        referenceNumber: '77/QLLĐNN',
        approvedHeadcount: '10',
      });
      expect(approved.status).toBe(303);

      const live = await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn hàng bị gỡ' });
      const takedowns = await browser.get('/regulator/go-tin');
      const down = await browser.submit(takedowns, `/regulator/go-tin/${live}`, {
        reason: 'Quảng cáo sai sự thật',
      });
      expect(down.status).toBe(303);
      expect((await request(ctx.http).get(`/don-hang/${live}`)).status).toBe(410);

      await request(ctx.http)
        .post(`/api/v1/job-orders/${order}/reports`)
        .send({ reason: 'scam', detail: '<b>lừa</b>' })
        .expect(202);
      const queue = await browser.get('/regulator/canh-bao');
      expect(queue.text).toContain('&lt;b&gt;lừa&lt;/b&gt;');
      const flagId = /id="flag-([0-9a-f-]{36})"/.exec(queue.text)![1];
      const resolved = await browser.submit(queue, `/regulator/canh-bao/${flagId}`, {
        decision: 'upheld',
        note: 'Đã xác minh',
      });
      expect(resolved.status).toBe(303);
    });

    it('suspends recruitment by province and verifies the audit chain', async () => {
      const browser = await signedIn(regulator);
      const page = await browser.get('/regulator/tam-dung');
      const created = await browser.submit(page, '/regulator/tam-dung', {
        program: 'kr_eps',
        provinces: 'Nghệ An, Hà Tĩnh',
        from: '2025-01-01',
        to: '2099-12-31',
        reason: 'Tỷ lệ lao động bỏ trốn cao',
      });
      expect(created.status).toBe(303);
      expect(textOf((await browser.get('/regulator/tam-dung')).text)).toContain('Hà Tĩnh, Nghệ An');
      const verified = await browser.get('/regulator/nhat-ky?verify=1');
      expect(verified.status).toBe(200);
      expect(textOf(verified.text)).toMatch(/Chuỗi nhật ký toàn vẹn: [\d.]+ mục đã kiểm tra\./);
      expect(verified.text).toContain('agency.suspend');
    });
  });

  describe('the admin console and signing out', () => {
    it('lists users, sets exchange rates and signs out with a token', async () => {
      const browser = await signedIn(admin);
      const users = await browser.get('/admin/nguoi-dung');
      expect(users.status).toBe(200);
      expect(users.text).toContain(regulator.email);
      const rates = await browser.get('/admin/ty-gia');
      const set = await browser.submit(rates, '/admin/ty-gia', { newCurrency: 'CHF', newRate: '29500' });
      expect(set.status).toBe(303);
      expect(textOf((await browser.get('/admin/ty-gia')).text)).toContain('CHF');
      const out = await browser.submit(rates, '/dang-xuat');
      expect(out.status).toBe(303);
      expect((await browser.get('/admin/nguoi-dung')).status).toBe(303);
    });
  });
});
