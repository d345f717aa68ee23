import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createUser } from './helpers/factories';

const REPORTS_PER_HOUR = 3;
const CHECKS_PER_HOUR = 20;

describe('check before you pay: recruiters', () => {
  let ctx: TestContext;
  let regulatorToken: string;
  let agencyToken: string;
  let licensed: string;
  let suspended: string;

  const check = (query: Record<string, string>) =>
    request(ctx.http).get('/api/v1/recruiters/check').query(query);
  const report = (body: Record<string, unknown>) =>
    request(ctx.http).post('/api/v1/recruiters/reports').send(body);
  const groups = (query: Record<string, string | number> = {}) =>
    ctx
      .as(regulatorToken)
      .get(`/regulator/recruiter-reports?${new URLSearchParams(query as Record<string, string>).toString()}`);

  beforeAll(async () => {
    ctx = await TestContext.create({
      env: {
        RATE_LIMIT_RECRUITER_REPORTS_PER_IP_PER_HOUR: String(REPORTS_PER_HOUR),
        RATE_LIMIT_RECRUITER_CHECKS_PER_IP_PER_HOUR: String(CHECKS_PER_HOUR),
      },
    });
    licensed = await createAgency(ctx.db, { name: 'Công ty Cổ phần Năm Châu IMS' });
    suspended = await createAgency(ctx.db, { name: 'Công ty TNHH Đình Chỉ', licenseStatus: 'suspended' });
    // Hotlines as agencies write them: a landline with spaces, a mobile with dots.
    await ctx.db.query(`UPDATE agencies SET hotline = '024 0000 0101' WHERE id = $1`, [licensed]);
    await ctx.db.query(`UPDATE agencies SET hotline = '091.000.0111' WHERE id = $1`, [suspended]);
    const regulator = await createUser(ctx.db, { role: 'regulator' });
    regulatorToken = await ctx.login(regulator.email, regulator.password);
    const staff = await createUser(ctx.db, { role: 'agency_admin', agencyId: licensed });
    agencyToken = await ctx.login(staff.email, staff.password);
  });

  // Each test starts with the report limit unspent; the last test spends it.
  beforeEach(() => ctx.deleteRedisKeys());

  afterAll(() => ctx.close());

  describe('GET /recruiters/check', () => {
    it.each([['+84 24 0000 0101'], ['02400000101'], ['842400000101']])(
      "finds a licensed agency's registered hotline written as %s, with its licence status",
      async (phone) => {
        const { body } = await check({ phone }).expect(200);
        expect(body).toEqual({
          kind: 'phone',
          key: '+842400000101',
          licensed: true,
          agencies: [
            {
              id: licensed,
              name: 'Công ty Cổ phần Năm Châu IMS',
              licenseNumber: expect.any(String),
              licenseStatus: 'active',
              hotline: '024 0000 0101',
              matchedBy: 'hotline',
            },
          ],
          reports: { count: 0, lastAt: null },
        });
      },
    );

    it('reads a number, zalo.me/<number> or "Zalo: <number>" given as q the same way', async () => {
      for (const q of ['0910000111', 'zalo.me/0910000111', 'Zalo: 091 000 0111']) {
        const { body } = await check({ q }).expect(200);
        expect(body).toMatchObject({ kind: 'phone', key: '+84910000111', licensed: false });
        expect(body.agencies).toEqual([
          expect.objectContaining({ id: suspended, licenseStatus: 'suspended', matchedBy: 'hotline' }),
        ]);
      }
    });

    it('finds nothing for an unknown number', async () => {
      const { body } = await check({ phone: '0933 999 888' }).expect(200);
      expect(body).toEqual({
        kind: 'phone',
        key: '+84933999888',
        licensed: false,
        agencies: [],
        reports: { count: 0, lastAt: null },
      });
    });

    it('matches names accent-insensitively, word by word, with LIKE wildcards taken literally', async () => {
      const { body } = await check({ q: 'nam chau' }).expect(200);
      expect(body).toMatchObject({ kind: 'name', key: 'nam chau', licensed: true });
      expect(body.agencies).toEqual([expect.objectContaining({ id: licensed, matchedBy: 'name' })]);
      const { body: suspendedByName } = await check({ q: 'Đình chỉ' }).expect(200);
      expect(suspendedByName).toMatchObject({ licensed: false });
      expect(suspendedByName.agencies).toEqual([
        expect.objectContaining({ id: suspended, licenseStatus: 'suspended' }),
      ]);
      // Unescaped, "__" and "%%" would match every name.
      for (const q of ['__', '%%']) {
        expect((await check({ q }).expect(200)).body).toMatchObject({ kind: 'name', agencies: [] });
      }
    });

    it('refuses anything but exactly one of phone and q, and what is neither a number nor a link', async () => {
      for (const query of [{}, { phone: '0912345678', q: 'Lan' }] as Record<string, string>[]) {
        const { body } = await check(query).expect(400);
        expect(body.code).toBe('VALIDATION_FAILED');
        expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['phone', 'q']);
      }
      const notPhone = await check({ phone: '12345' }).expect(400);
      expect(notPhone.body.errors).toEqual([
        { field: 'phone', message: expect.stringContaining('Việt Nam') },
      ]);
      const notLink = await check({ q: 'facebook.com/' }).set('Accept-Language', 'en').expect(400);
      expect(notLink.body.errors).toEqual([{ field: 'q', message: expect.stringContaining('link') }]);
      await check({ q: 'x'.repeat(501) }).expect(400);
      await check({ q: 'Lan', extra: '1' }).expect(400);
    });
  });

  describe('POST /recruiters/reports', () => {
    it('files reports of one number in two spellings under one flag, and the check counts them', async () => {
      const first = await report({
        recruiterName: 'Cô Lan XKLĐ',
        recruiterPhone: '0987 111 222',
        channel: 'zalo',
        country: 'jp',
        promised: 'Đơn hàng chế biến thực phẩm ở Nhật, bay sau 3 tháng',
        askedAmountVnd: 150_000_000,
        paidAmountVnd: 20_000_000,
        reporterPhone: '0977 000 111',
        consent: true,
      }).expect(202);
      expect(first.body).toEqual({ id: expect.any(String), status: 'received' });
      await report({
        recruiterName: 'Anh Tuấn',
        recruiterPhone: '+84987111222',
        promised: 'Đi Đài Loan không cần học tiếng',
        askedAmountVnd: 90_000_000,
      }).expect(202);

      const { rows: flags } = await ctx.db.query(
        `SELECT id, code, status, job_order_id, agency_id FROM flags WHERE source = 'unlicensed_recruiter'`,
      );
      expect(flags).toEqual([
        {
          id: expect.any(String),
          code: 'UNLICENSED_RECRUITER',
          status: 'open',
          job_order_id: null,
          agency_id: null,
        },
      ]);

      const { body: counted } = await check({ phone: '0987111222' }).expect(200);
      expect(counted).toMatchObject({ kind: 'phone', licensed: false, agencies: [] });
      expect(counted.reports.count).toBe(2);
      expect(Date.now() - Date.parse(counted.reports.lastAt)).toBeLessThan(60_000);

      const { body: page } = await groups({ kind: 'phone' }).expect(200);
      expect(page.items).toHaveLength(1);
      const [group] = page.items;
      expect(group).toMatchObject({
        key: '+84987111222',
        kind: 'phone',
        reports: 2,
        flagId: flags[0].id,
        flagStatus: 'open',
        phones: ['+84987111222'],
        links: [],
        registeredAgencies: [],
      });
      expect(group.names.sort()).toEqual(['Anh Tuấn', 'Cô Lan XKLĐ']);
      expect(group.samples).toHaveLength(2);
      expect(group.samples[1]).toMatchObject({
        id: first.body.id,
        recruiterName: 'Cô Lan XKLĐ',
        channel: 'zalo',
        country: 'JP',
        askedAmountVnd: 150_000_000,
        paidAmountVnd: 20_000_000,
        reporterPhone: '+84977000111',
      });
      expect(group.samples[0].reporterPhone).toBeNull();

      // The regulators' queue shows the flag, which names no order and no agency.
      const { body: queue } = await ctx
        .as(regulatorToken)
        .get('/regulator/flags?source=unlicensed_recruiter')
        .expect(200);
      expect(queue.items).toEqual([
        expect.objectContaining({
          id: flags[0].id,
          source: 'unlicensed_recruiter',
          jobOrder: null,
          agency: null,
          details: { kind: 'phone', key: '+84987111222' },
        }),
      ]);
    });

    it('keeps the phones out of the audit log and the reporter’s number sealed', async () => {
      const { rows: audit } = await ctx.db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE after::text LIKE '%987111222%' OR after::text LIKE '%977000111%'`,
      );
      expect(audit[0].n).toBe(0);
      const { rows } = await ctx.db.query(
        `SELECT reporter_phone_encrypted, reporter_consent_at FROM recruiter_reports WHERE reporter_phone_encrypted IS NOT NULL`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].reporter_phone_encrypted).not.toContain('977000111');
      expect(rows[0].reporter_consent_at).toBeInstanceOf(Date);
    });

    it('groups by link when no number is given: facebook.com/x, fb.com/x and m.facebook.com/x?ref= are one', async () => {
      await report({
        recruiterLink: 'https://m.facebook.com/xkld.gia.re?ref=bookmarks',
        promised: 'Việc làm ở Hàn Quốc',
      }).expect(202);
      await report({ recruiterLink: 'fb.com/XKLD.Gia.Re/', promised: 'Việc làm ở Hàn Quốc' }).expect(202);
      const { body } = await check({ q: 'facebook.com/xkld.gia.re' }).expect(200);
      expect(body).toMatchObject({ kind: 'link', key: 'facebook.com/xkld.gia.re', agencies: [] });
      expect(body.reports.count).toBe(2);
      const { body: page } = await groups({ kind: 'link' }).expect(200);
      expect(page.items).toEqual([
        expect.objectContaining({
          key: 'facebook.com/xkld.gia.re',
          reports: 2,
          links: ['facebook.com/xkld.gia.re'],
        }),
      ]);
    });

    it('takes zalo.me/<number> as that number, and a name alone as a name', async () => {
      await report({ recruiterLink: 'zalo.me/0987111222', promised: 'Đi Nhật' }).expect(202);
      expect((await check({ phone: '0987 111 222' }).expect(200)).body.reports.count).toBe(3);
      await report({ recruiterName: 'Chị Hằng   Môi Giới', promised: 'Đi Úc làm nông nghiệp' }).expect(202);
      const { body } = await check({ q: 'hang moi gioi' }).expect(200);
      expect(body).toMatchObject({ kind: 'name', agencies: [] });
      expect(body.reports.count).toBe(1);
      const { body: page } = await groups({ kind: 'name' }).expect(200);
      expect(page.items).toEqual([expect.objectContaining({ key: 'chi hang moi gioi', reports: 1 })]);
    });

    it("names the licensed agency whose hotline a report names, in the regulators' group", async () => {
      await report({ recruiterPhone: '(024) 0000-0101', promised: 'Thu phí 200 triệu đi Nhật' }).expect(202);
      const { body: page } = await groups({ kind: 'phone' }).expect(200);
      const group = page.items.find((item: { key: string }) => item.key === '+842400000101');
      expect(group.registeredAgencies).toEqual([
        expect.objectContaining({ id: licensed, licenseStatus: 'active', matchedBy: 'hotline' }),
      ]);
      expect((await check({ phone: '02400000101' }).expect(200)).body).toMatchObject({
        licensed: true,
        reports: { count: 1 },
      });
    });

    it('opens a new flag for a number once its flag is resolved; upholding it touches no ranking', async () => {
      const { body: before } = await groups({ kind: 'phone' }).expect(200);
      const group = before.items.find((item: { key: string }) => item.key === '+84987111222');
      await ctx
        .as(regulatorToken)
        .post(`/regulator/flags/${group.flagId}/resolve`, {
          decision: 'upheld',
          note: 'Đã xác minh: môi giới',
        })
        .expect(200);
      await report({ recruiterPhone: '0987111222', promised: 'Lại hứa đi Nhật' }).expect(202);
      const { body: after } = await groups({ kind: 'phone' }).expect(200);
      const regrouped = after.items.find((item: { key: string }) => item.key === '+84987111222');
      expect(regrouped).toMatchObject({ reports: 4, flagStatus: 'open' });
      expect(regrouped.flagId).not.toBe(group.flagId);
      const { rows } = await ctx.db.query(`SELECT count(*)::int AS n FROM ranking_incidents`);
      expect(rows[0].n).toBe(0);
    });

    it('refuses a report that names nobody, a bad number or link, and a call-back number without consent', async () => {
      const cases: [Record<string, unknown>, string[]][] = [
        [{ promised: 'Đi Nhật' }, ['recruiterName']],
        [{ recruiterPhone: '12345', promised: 'Đi Nhật' }, ['recruiterPhone']],
        [{ recruiterLink: 'javascript:alert(1)', promised: 'Đi Nhật' }, ['recruiterLink']],
        [{ recruiterName: 'Lan', promised: 'Đi Nhật', reporterPhone: '0977000111' }, ['consent']],
        [
          { recruiterName: 'Lan', promised: 'Đi Nhật', reporterPhone: '024 0000 0101', consent: true },
          ['reporterPhone'],
        ],
        [{ recruiterName: 'Lan', promised: 'Đi Nhật', country: 'ZZ' }, ['country']],
        [{ recruiterName: 'Lan' }, ['promised']],
        [{ recruiterName: 'Lan', promised: 'Đi Nhật', askedAmountVnd: -1 }, ['askedAmountVnd']],
        [{ recruiterName: 'Lan', promised: 'Đi Nhật', sneaky: true }, ['sneaky']],
      ];
      for (const [body, fields] of cases) {
        const response = await report(body).expect(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect([...new Set(response.body.errors.map((error: { field: string }) => error.field))]).toEqual(
          fields,
        );
      }
      const { rows } = await ctx.db.query(
        `SELECT count(*)::int AS n FROM recruiter_reports WHERE recruiter_name = 'Lan'`,
      );
      expect(rows[0].n).toBe(0);
    });

    it(`limits reports to ${REPORTS_PER_HOUR} an hour per address`, async () => {
      for (let i = 0; i < REPORTS_PER_HOUR; i++) {
        await report({ recruiterPhone: '0933 000 00' + i, promised: 'Đi Nhật' }).expect(202);
      }
      const refused = await report({ recruiterPhone: '0933 000 009', promised: 'Đi Nhật' }).expect(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const keys = await ctx.redisKeys('ratelimit:recruiter-reports:ip:*');
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(/ip:[0-9a-f]{64}$/);
    });
  });

  it(`limits checks to ${CHECKS_PER_HOUR} an hour per address, so the hotlines are looked up, not harvested`, async () => {
    for (let i = 0; i < CHECKS_PER_HOUR; i++) await check({ phone: `0933 111 ${100 + i}` }).expect(200);
    const refused = await check({ phone: '0933 111 999' }).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    const keys = await ctx.redisKeys('ratelimit:recruiter-checks:ip:*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/ip:[0-9a-f]{64}$/);
  });

  describe('GET /regulator/recruiter-reports', () => {
    it('is for regulators only', async () => {
      await request(ctx.http).get('/api/v1/regulator/recruiter-reports').expect(401);
      await ctx.as(agencyToken).get('/regulator/recruiter-reports').expect(403);
    });

    it('pages the groups by latest activity, and filters by their size', async () => {
      const all = (await groups({ limit: 100 }).expect(200)).body.items;
      const lastAts = all.map((group: { lastAt: string }) => group.lastAt);
      expect([...lastAts].sort().reverse()).toEqual(lastAts);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = { limit: 2 };
        if (cursor) query.cursor = cursor;
        const { body }: { body: { items: { key: string }[]; nextCursor: string | null } } =
          await groups(query).expect(200);
        seen.push(...body.items.map((group) => group.key));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((group: { key: string }) => group.key));
      const big = (await groups({ minReports: 2 }).expect(200)).body.items;
      expect(big.map((group: { key: string }) => group.key).sort()).toEqual(
        ['+84987111222', 'facebook.com/xkld.gia.re'].sort(),
      );
      await groups({ cursor: 'nonsense' }).expect(400);
      await groups({ kind: 'email' }).expect(400);
    });
  });
});
