import { gzipSync } from 'node:zlib';

import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder } from './helpers/factories';
import { csrfOf, textOf, WebClient } from './helpers/web';

const YEAR = new Date().getUTCFullYear();

describe('web pages for job seekers', () => {
  let ctx: TestContext;
  let agency: string;
  let japan: string;
  let hostile: string;

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    agency = await createAgency(ctx.db, { name: 'Công ty Cổ phần Năm Châu IMS', provinceCode: 'nghe-an' });
    japan = await createJobOrder(ctx.db, {
      agencyId: agency,
      title: 'Tuyển 16 Nam Chế biến thực phẩm tại Gunma, Nhật Bản',
      occupation: 'Chế biến thực phẩm',
      workLocation: 'Gunma',
      industry: 'food_processing',
      country: 'JP',
      gender: 'male',
      birthYearFrom: 1994,
      birthYearTo: YEAR - 18,
      views: 196,
    });
    await ctx.db.query(`UPDATE job_orders SET registration_number = 'QLLĐNN-1234' WHERE id = $1`, [japan]);
    hostile = await createJobOrder(ctx.db, {
      agencyId: agency,
      title: '<script>alert("xss")</script> Đơn hàng Đài Loan',
      country: 'TW',
      salaryCurrency: 'TWD',
      salaryAmount: 27470,
      registrationStatus: 'source_preparation',
    });
  });

  afterAll(() => ctx.close());

  describe('the listing', () => {
    it('shows job cards like the source page, with the protections, in Vietnamese by default', async () => {
      const response = await request(ctx.http).get('/').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-language'] ?? 'vi').toBe('vi');
      const text = textOf(response.text);
      expect(response.text).toContain('<html lang="vi">');
      expect(text).toContain('Tuyển 16 Nam Chế biến thực phẩm tại Gunma, Nhật Bản');
      expect(text).toContain('/tháng');
      expect(text).toMatch(/≈ 30\.000\.000 ₫/);
      expect(text).toContain(`Năm sinh 1994–${YEAR - 18}`);
      expect(text).toContain('Tuyển: 10');
      expect(text).toContain('196 lượt xem');
      expect(text).toContain('Công ty Cổ phần Năm Châu IMS Giấy phép còn hiệu lực');
      expect(text).toContain('Đã duyệt số QLLĐNN-1234');
      expect(text).toContain('Đang trình cục');
      expect(text).toContain('Tổng chi phí: 30.000.000 ₫');
      expect(text).toContain('Trong mức trần pháp luật');
      expect(response.text).toContain(`href="/don-hang/${japan}/tu-van"`);
      expect(text).toContain('Tư vấn giúp tôi');
    });

    it('renders an agency-supplied title as inert text', async () => {
      const response = await request(ctx.http).get('/').expect(200);
      expect(response.text).not.toContain('<script>alert');
      expect(response.text).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
      const order = await request(ctx.http).get(`/don-hang/${hostile}`).expect(200);
      expect(order.text).not.toContain('<script>alert');
      // JSON-LD carries the title escaped so that it cannot close its script element.
      expect(order.text).toContain('\\u003cscript\\u003ealert');
    });

    it('finds a Japan food-processing order by an unaccented search with the API’s filter names', async () => {
      const response = await request(ctx.http)
        .get('/')
        .query({ q: 'che bien thuc pham', country: 'JP', industry: 'food_processing', gender: 'male' })
        .expect(200);
      expect(response.text).toContain(`/don-hang/${japan}`);
      expect(response.text).not.toContain(`/don-hang/${hostile}`);
      expect(response.text).toMatch(/<input id="q" name="q" type="search"[^>]*value="che bien thuc pham"/);
      expect(response.text).toMatch(/<option value="JP" selected>/);
    });

    it('ignores invalid filters instead of failing, and pages by cursor with "Xem thêm"', async () => {
      const invalid = await request(ctx.http)
        .get('/')
        .query({ birthYear: 'abc', country: 'Japan' })
        .expect(200);
      expect(textOf(invalid.text)).toMatch(/bộ lọc không hợp lệ.*birthYear/);
      const first = await request(ctx.http).get('/').query({ limit: 1 }).expect(200);
      const next = /href="(\/\?limit=1&amp;cursor=[^"]+)"/.exec(first.text);
      expect(next).not.toBeNull();
      const second = await request(ctx.http).get(next![1].replace(/&amp;/g, '&')).expect(200);
      const firstIds = first.text.match(/\/don-hang\/[0-9a-f-]{36}"/g);
      const secondIds = second.text.match(/\/don-hang\/[0-9a-f-]{36}"/g);
      expect(firstIds?.[0]).not.toEqual(secondIds?.[0]);
      await request(ctx.http).get('/').query({ cursor: 'not-a-cursor' }).expect(200);
    });

    it('switches to English with ?lang=en or Accept-Language, and keeps ?lang=en in its links', async () => {
      const byQuery = await request(ctx.http).get('/').query({ lang: 'en' }).expect(200);
      expect(byQuery.text).toContain('<html lang="en">');
      expect(textOf(byQuery.text)).toContain('Please advise me');
      expect(byQuery.text).toContain(`href="/don-hang/${japan}?lang=en"`);
      expect(byQuery.text).toContain('hreflang="vi"');
      const byHeader = await request(ctx.http).get('/').set('Accept-Language', 'en-US,en;q=0.9').expect(200);
      expect(textOf(byHeader.text)).toContain('Within the legal caps');
      expect(byHeader.headers.vary).toMatch(/Accept-Language/);
    });

    it('is served under the pages’ CSP without inline scripts, and stays small', async () => {
      const response = await request(ctx.http).get('/').expect(200);
      const csp = response.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(response.text).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
      expect(response.text).not.toMatch(/https?:\/\/(?!www\.sitemaps|schema\.org)[^"]*\.(css|js)/);
      const css = /href="(\/assets\/app\.[0-9a-f]{10}\.css)"/.exec(response.text)![1];
      const asset = await request(ctx.http).get(css).set('Accept-Encoding', 'gzip').expect(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.headers['content-encoding']).toBe('gzip');
      const weight = gzipSync(response.text).length + Number(asset.headers['content-length'] ?? 0);
      expect(weight).toBeLessThan(60 * 1024);
      await request(ctx.http).get('/assets/app.0000000000.css').expect(404);
    });
  });

  describe('the order page', () => {
    it('shows requirements, each cost with its legal cap, the registration, the agency licence and rank', async () => {
      const response = await request(ctx.http).get(`/don-hang/${japan}`).expect(200);
      const text = textOf(response.text);
      expect(text).toContain('Chi phí người lao động trả');
      expect(text).toMatch(/Tiền dịch vụ 30\.000\.000 ₫ [\d.]+ ₫/);
      expect(text).toMatch(/Tiền ký quỹ 0 ₫ không được thu/);
      expect(text).toContain('Tiền môi giới 0 ₫ không được thu');
      expect(text).toContain('Đã duyệt số QLLĐNN-1234');
      expect(text).toContain('Số giấy phép');
      expect(text).toMatch(/Xếp hạng chung|Chưa được xếp hạng/);
      expect(text).toContain('Báo cáo tin đăng');
      expect(response.text).toContain(`<link rel="canonical" href="http://127.0.0.1`);
      expect(response.text).toContain(
        '<meta property="og:title" content="Tuyển 16 Nam Chế biến thực phẩm tại Gunma, Nhật Bản">',
      );
      expect(response.text).toMatch(/<meta property="og:description" content="[^"]*Nhật Bản · 180\.000/);
      const jsonLd = JSON.parse(
        /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(response.text)![1],
      );
      expect(jsonLd).toMatchObject({
        '@type': 'JobPosting',
        title: 'Tuyển 16 Nam Chế biến thực phẩm tại Gunma, Nhật Bản',
        jobLocation: { address: { addressCountry: 'JP', addressLocality: 'Gunma' } },
        baseSalary: { currency: 'JPY' },
      });
    });

    it('answers 404 for an unknown order and 410 with the reason for one taken down', async () => {
      const missing = await request(ctx.http)
        .get('/don-hang/00000000-0000-4000-8000-000000000000')
        .expect(404);
      expect(missing.text).not.toContain('rel="canonical"');
      await request(ctx.http).get('/don-hang/not-an-id').expect(404);
      const gone = await createJobOrder(ctx.db, { agencyId: agency, country: 'JP' });
      await ctx.db.query(`UPDATE job_orders SET publication_status = 'taken_down' WHERE id = $1`, [gone]);
      const response = await request(ctx.http).get(`/don-hang/${gone}`).expect(410);
      expect(textOf(response.text)).toContain('Cơ quan quản lý đã gỡ tin đăng này.');
      expect(response.text).toContain('href="/?country=JP"');
    });
  });

  describe('asking for advice', () => {
    it('shows the consent text in full, takes the POST form, gives a tracking code, and tracking shows it assigned', async () => {
      const browser = new WebClient(ctx.http);
      const form = await browser.get(`/don-hang/${japan}/tu-van`);
      expect(form.status).toBe(200);
      expect(textOf(form.text)).toContain('Nghị định 13/2023/NĐ-CP');
      expect(form.text).toMatch(/<input id="fullName" name="fullName"/);
      const cookie = (form.headers['set-cookie'] as unknown as string[]).join('\n');
      expect(cookie).toMatch(/xkld_csrf=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure/);

      const sent = await browser.post(`/don-hang/${japan}/tu-van`, {
        _csrf: csrfOf(form.text),
        fullName: 'Nguyễn Văn An',
        phone: '0912 345 678',
        province: 'Nghệ An',
        birthYear: '2000',
        gender: 'male',
        consent: 'yes',
      });
      expect(sent.status).toBe(200);
      const code = /id="tracking-code">([2-9A-HJKMNP-Z]{10})</.exec(sent.text)![1];

      const tracked = await ctx.waitFor(async () => {
        const page = await browser.post('/tra-cuu', { _csrf: csrfOf(sent.text), code, phone: '0912345678' });
        return /data-status="assigned"/.test(page.text) ? page : undefined;
      });
      expect(textOf(tracked.text)).toContain('Đã chuyển cho doanh nghiệp');
      expect(tracked.text).not.toMatch(/\?[^"]*phone=/);
    });

    it('refuses the form without its CSRF token, and with the token of another browser', async () => {
      const browser = new WebClient(ctx.http);
      await browser.get(`/don-hang/${japan}/tu-van`);
      const fields = {
        fullName: 'Trần Văn B',
        phone: '0987654321',
        province: 'Hà Nội',
        birthYear: '2001',
        consent: 'yes',
      };
      const without = await browser.post(`/don-hang/${japan}/tu-van`, fields);
      expect(without.status).toBe(403);
      expect(textOf(without.text)).toContain('Biểu mẫu đã hết hạn');
      const other = new WebClient(ctx.http);
      const otherForm = await other.get(`/don-hang/${japan}/tu-van`);
      const forged = await browser.post(`/don-hang/${japan}/tu-van`, {
        ...fields,
        _csrf: csrfOf(otherForm.text),
      });
      expect(forged.status).toBe(403);
      const { rows } = await ctx.db.query(
        `SELECT count(*)::int AS n FROM consultation_requests WHERE birth_year = 2001`,
      );
      expect(rows[0].n).toBe(0);
    });

    it('shows each error next to its field, and the rule a refusal breaks', async () => {
      const browser = new WebClient(ctx.http);
      const form = await browser.get(`/don-hang/${japan}/tu-van`);
      const invalid = await browser.post(`/don-hang/${japan}/tu-van`, {
        _csrf: csrfOf(form.text),
        fullName: 'A',
        phone: '12',
        province: '',
        birthYear: '2000',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.text).toMatch(/id="fullName-error"/);
      expect(invalid.text).toMatch(/id="consent-error"/);
      expect(invalid.text).toContain('value="12"');
      const tooOld = await browser.post(`/don-hang/${japan}/tu-van`, {
        _csrf: csrfOf(form.text),
        fullName: 'Lê Văn C',
        phone: '0911111111',
        province: 'Hà Nội',
        birthYear: '1960',
        consent: 'yes',
      });
      expect(tooOld.status).toBe(422);
      expect(tooOld.text).toMatch(/class="alert" role="alert">[^<]+</);
    });

    it('takes a report of the listing without JavaScript', async () => {
      const browser = new WebClient(ctx.http);
      const form = await browser.get(`/don-hang/${japan}/bao-cao`);
      const sent = await browser.post(`/don-hang/${japan}/bao-cao`, {
        _csrf: csrfOf(form.text),
        reason: 'excessive_fees',
        detail: 'Thu thêm 20 triệu',
      });
      expect(sent.status).toBe(200);
      expect(textOf(sent.text)).toContain('Báo cáo đã được gửi');
      const { rows } = await ctx.db.query(
        `SELECT code FROM flags WHERE job_order_id = $1 AND source = 'report'`,
        [japan],
      );
      expect(rows).toHaveLength(1);
    });
  });

  describe('agencies, ranking and statistics', () => {
    it('looks an agency up by licence number and by a former province name', async () => {
      const { rows } = await ctx.db.query<{ license_number: string }>(
        `SELECT license_number FROM agencies WHERE id = $1`,
        [agency],
      );
      const byLicence = await request(ctx.http)
        .get('/doanh-nghiep')
        .query({ licenseNumber: rows[0].license_number })
        .expect(200);
      expect(byLicence.text).toContain(`/doanh-nghiep/${agency}`);
      expect(textOf(byLicence.text)).toContain('Kiểm tra giấy phép trước khi nộp tiền');
      const byProvince = await request(ctx.http)
        .get('/doanh-nghiep')
        .query({ province: 'Nghe An' })
        .expect(200);
      expect(byProvince.text).toContain(`/doanh-nghiep/${agency}`);
    });

    it('shows an agency with its licence, ranking breakdown with sample sizes, and open orders', async () => {
      const response = await request(ctx.http).get(`/doanh-nghiep/${agency}`).expect(200);
      const text = textOf(response.text);
      expect(text).toContain('Giấy phép còn hiệu lực');
      expect(text).toContain('Xếp hạng và cách tính');
      expect(text).toContain('Tuyển 16 Nam Chế biến thực phẩm');
      await request(ctx.http).get('/doanh-nghiep/00000000-0000-4000-8000-000000000000').expect(404);
    });

    it('explains the ranking formula in plain words', async () => {
      const response = await request(ctx.http).get('/xep-hang').expect(200);
      const text = textOf(response.text);
      expect(text).toContain('30% tuân thủ + 25% phản hồi + 20% kết quả + 15% đánh giá + 10% hoạt động');
      await request(ctx.http).get('/xep-hang').query({ country: 'JP', lang: 'en' }).expect(200);
    });

    it('charts departures by market and gender as server-rendered SVG with a table', async () => {
      const other = await createAgency(ctx.db);
      await ctx.db.query(
        `INSERT INTO departure_reports (agency_id, month, country_code, total, women) VALUES
           ($1, '2023-05', 'JP', 5359, 2397), ($1, '2023-05', 'TW', 3515, 989), ($1, '2023-05', 'SG', 185, 0)`,
        [other],
      );
      const response = await request(ctx.http).get('/thong-ke').query({ month: '2023-05' }).expect(200);
      expect(response.text).toMatch(/<svg class="chart" role="img"/);
      const text = textOf(response.text);
      expect(text).toContain('9.059 lao động (3.386 nữ)');
      expect(text).toMatch(/Nhật Bản 5\.359 2\.397 2\.962/);
      const latest = await request(ctx.http).get('/thong-ke').expect(200);
      expect(latest.text).toContain('value="2023-05"');
    });
  });

  describe('for search engines', () => {
    it('lists published orders in sitemap.xml and keeps consoles out in robots.txt', async () => {
      const sitemap = await request(ctx.http).get('/sitemap.xml').expect(200);
      expect(sitemap.headers['content-type']).toMatch(/application\/xml/);
      expect(sitemap.text).toContain(`/don-hang/${japan}</loc>`);
      const robots = await request(ctx.http).get('/robots.txt').expect(200);
      expect(robots.text).toContain('Disallow: /agency/');
      expect(robots.text).toMatch(/Sitemap: http:\/\/[^/]+\/sitemap\.xml/);
    });

    it('leaves the JSON API where it was', async () => {
      const api = await request(ctx.http).get('/api/v1/job-orders').expect(200);
      expect(api.body.items[0]).toHaveProperty('withinCaps');
      await request(ctx.http).get('/api/v1/regulator/agencies').expect(401);
      await request(ctx.http)
        .post('/api/v1/consultations')
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('jobOrderId=x')
        .expect(415);
    });
  });
});
