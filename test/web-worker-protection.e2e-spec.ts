import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createUser } from './helpers/factories';
import { csrfOf, textOf, WebClient } from './helpers/web';

const JAPAN_CASE = {
  country: 'JP',
  program: 'jp_technical_intern',
  industry: 'food_processing',
  contractMonths: '36',
  salaryAmount: '180000',
  salaryCurrency: 'JPY',
};

describe('web pages: check before you pay, report a recruiter, the legal caps', () => {
  let ctx: TestContext;
  let agency: string;
  let regulator: { email: string; password: string };

  /** Posts the check form as a browser without JavaScript. */
  const checkPage = async (q: string, lang?: string) => {
    const browser = new WebClient(ctx.http);
    const path = lang ? `/kiem-tra?lang=${lang}` : '/kiem-tra';
    const form = await browser.get(path);
    return browser.post(path, { _csrf: csrfOf(form.text), q });
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
    agency = await createAgency(ctx.db, { name: 'Công ty Cổ phần Năm Châu IMS' });
    await ctx.db.query(`UPDATE agencies SET hotline = '024 0000 0101' WHERE id = $1`, [agency]);
    regulator = await createUser(ctx.db, { role: 'regulator' });
  });

  afterAll(() => ctx.close());

  describe('/kiem-tra', () => {
    it('is linked from every public page and shows a labelled POST form with its token, without scripts', async () => {
      const home = await request(ctx.http).get('/').expect(200);
      expect(home.text).toContain('href="/kiem-tra"');
      expect(home.text).toContain('href="/muc-tran"');
      const page = await request(ctx.http).get('/kiem-tra').expect(200);
      expect(page.text).toContain('<html lang="vi">');
      expect(page.text).toMatch(/<form method="post" action="\/kiem-tra"/);
      expect(page.text).toMatch(/<label for="q">/);
      expect(page.text).toMatch(/<input id="q" name="q"/);
      expect(page.text).toMatch(/name="_csrf" value="[^"]+"/);
      expect(page.text).not.toMatch(/<script/);
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
      const english = await request(ctx.http).get('/kiem-tra?lang=en').expect(200);
      expect(textOf(english.text)).toContain('Check a recruiter before you pay');
    });

    it("finds a licensed agency's hotline typed another way, with its licence, and keeps the number out of URLs", async () => {
      const result = await checkPage('+84 24 0000 0101');
      expect(result.status).toBe(200);
      expect(result.headers['cache-control']).toBe('no-store');
      const text = textOf(result.text);
      expect(text).toContain('Số điện thoại +842400000101');
      expect(text).toContain('Đây là số đường dây nóng đã đăng ký của doanh nghiệp');
      expect(text).toContain('Công ty Cổ phần Năm Châu IMS Giấy phép còn hiệu lực');
      expect(result.text).toContain(`href="/doanh-nghiep/${agency}"`);
      expect(result.text).toContain('data-verdict="licensed"');
      expect(result.text).not.toMatch(/href="[^"]*0000 ?0101/);
    });

    it('finds nothing for an unknown number, and says a broker may not take money', async () => {
      const result = await checkPage('0933 999 888');
      expect(result.status).toBe(200);
      expect(result.text).toContain('data-verdict="unknown"');
      expect(result.text).toContain('data-count="0"');
      expect(textOf(result.text)).toContain('Chưa có báo cáo nào của người dân.');
    });

    it('refuses the form without its token, and shows an error next to the field', async () => {
      const browser = new WebClient(ctx.http);
      await browser.get('/kiem-tra');
      expect((await browser.post('/kiem-tra', { q: '0912345678' })).status).toBe(403);
      const form = await browser.get('/kiem-tra');
      const invalid = await browser.post('/kiem-tra', { _csrf: csrfOf(form.text), q: 'facebook.com/' });
      expect(invalid.status).toBe(400);
      expect(invalid.text).toMatch(/aria-invalid="true" aria-describedby="q-error"/);
      expect(invalid.text).toMatch(/<span class="error" id="q-error">[^<]+<\/span>/);
    });

    it('shows what it looked up as inert text', async () => {
      const result = await checkPage('<img src=x onerror=alert(1)> Lan');
      expect(result.status).toBe(200);
      expect(result.text).not.toContain('<img src=x');
      expect(result.text).toContain('&lt;img src=x onerror=alert(1)&gt; lan');
    });
  });

  describe('/kiem-tra/bao-cao', () => {
    it('takes a report without JavaScript; the check then counts it', async () => {
      const browser = new WebClient(ctx.http);
      const form = await browser.get('/kiem-tra/bao-cao');
      expect(form.status).toBe(200);
      for (const field of ['recruiterPhone', 'recruiterLink', 'recruiterName', 'promised', 'reporterPhone'])
        expect(form.text).toContain(`<label for="${field}"`);
      const sent = await browser.post('/kiem-tra/bao-cao', {
        _csrf: csrfOf(form.text),
        recruiterPhone: '0987 111 222',
        recruiterName: 'Cô Lan <b>XKLĐ</b>',
        channel: 'facebook',
        country: 'JP',
        promised: 'Đi Nhật, lương 35 triệu',
        askedAmountVnd: '150.000.000',
        reporterPhone: '0977 000 111',
        consent: 'yes',
      });
      expect(sent.status).toBe(200);
      expect(textOf(sent.text)).toContain('Báo cáo đã được gửi tới cơ quan quản lý');
      const { rows } = await ctx.db.query(
        `SELECT recruiter_phone, asked_amount_vnd::int AS asked, reporter_phone_encrypted IS NOT NULL AS sealed
         FROM recruiter_reports`,
      );
      expect(rows).toEqual([{ recruiter_phone: '+84987111222', asked: 150_000_000, sealed: true }]);
      const checked = await checkPage('+84987111222');
      expect(checked.text).toContain('data-count="1"');
      expect(textOf(checked.text)).toMatch(/1 báo cáo của người dân nhắc tới, gần nhất ngày/);
    });

    it('shows each error next to its field: nobody named, a call-back number without consent', async () => {
      const browser = new WebClient(ctx.http);
      const form = await browser.get('/kiem-tra/bao-cao');
      const invalid = await browser.post('/kiem-tra/bao-cao', {
        _csrf: csrfOf(form.text),
        promised: 'Đi Nhật',
        reporterPhone: '0977 000 111',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.text).toMatch(/class="alert" role="alert"/);
      expect(invalid.text).toMatch(/id="recruiterName-error"/);
      expect(invalid.text).toMatch(/id="consent-error"/);
      expect(invalid.text).toContain('value="0977 000 111"');
    });
  });

  describe('/muc-tran', () => {
    it('answers the caps of a case by a GET form, the same figures as the API', async () => {
      const empty = await request(ctx.http).get('/muc-tran').expect(200);
      expect(empty.text).toMatch(/<form method="get" action="\/muc-tran"/);
      for (const field of Object.keys(JAPAN_CASE)) expect(empty.text).toContain(`<label for="${field}"`);
      expect(empty.text).not.toContain('id="result"');

      const page = await request(ctx.http).get('/muc-tran').query(JAPAN_CASE).expect(200);
      const { body: api } = await request(ctx.http)
        .get('/api/v1/compliance/caps')
        .query(JAPAN_CASE)
        .expect(200);
      expect(page.text).toContain(`id="cap-serviceFee" data-max="${api.serviceFee.maxVnd}"`);
      expect(page.text).toContain(`id="cap-deposit" data-max="${api.deposit.maxVnd}"`);
      expect(page.text).toContain('id="cap-brokerage" data-max="0"');
      const text = textOf(page.text);
      expect(text).toContain(`${api.serviceFee.maxVnd.toLocaleString('vi-VN')} ₫`);
      expect(text).toContain(api.serviceFee.reference);
      expect(text).toContain('Không được thu tiền môi giới của người lao động');
      expect(page.text).toContain('<option value="JP" selected>');

      const english = await request(ctx.http)
        .get('/muc-tran')
        .query({ ...JAPAN_CASE, lang: 'en' })
        .expect(200);
      expect(textOf(english.text)).toContain('No brokerage fee may be charged to the worker');
    });

    it('shows what is wrong next to the field, and a currency without a rate', async () => {
      const invalid = await request(ctx.http)
        .get('/muc-tran')
        .query({ ...JAPAN_CASE, contractMonths: '0', country: 'XX' })
        .expect(400);
      expect(invalid.text).toMatch(/id="contractMonths-error"/);
      const unknown = await request(ctx.http)
        .get('/muc-tran')
        .query({ ...JAPAN_CASE, program: 'tw_worker' })
        .expect(400);
      expect(unknown.text).toMatch(/id="program-error"/);
      const noRate = await request(ctx.http)
        .get('/muc-tran')
        .query({ ...JAPAN_CASE, salaryCurrency: 'XYZ' })
        .expect(422);
      expect(noRate.text).toMatch(/class="alert" role="alert">[^<]*tỷ giá/);
    });

    it('lists both pages in the sitemap', async () => {
      const sitemap = await request(ctx.http).get('/sitemap.xml').expect(200);
      expect(sitemap.text).toMatch(/<loc>[^<]*\/kiem-tra<\/loc>/);
      expect(sitemap.text).toMatch(/<loc>[^<]*\/muc-tran<\/loc>/);
    });
  });

  describe("the regulator's console", () => {
    it('shows recruiter reports grouped by number, and their flag in the flag queue', async () => {
      const browser = new WebClient(ctx.http);
      expect((await browser.signIn(regulator.email, regulator.password)).status).toBe(303);
      const groups = await browser.get('/regulator/bao-cao-co');
      expect(groups.status).toBe(200);
      const text = textOf(groups.text);
      expect(text).toContain('Số điện thoại: +84987111222');
      expect(text).toContain('+84977000111');
      expect(groups.text).toContain('Cô Lan &lt;b&gt;XKLĐ&lt;/b&gt;');
      expect(groups.text).not.toContain('<b>XKLĐ</b>');
      const queue = await browser.get('/regulator/canh-bao?source=unlicensed_recruiter');
      expect(queue.status).toBe(200);
      expect(textOf(queue.text)).toContain('Báo cáo người tuyển dụng không phép');
      expect(textOf(queue.text)).toContain('+84987111222');
      const dashboard = await browser.get('/regulator');
      expect(dashboard.status).toBe(200);
      expect(textOf(dashboard.text)).toContain('UNLICENSED_RECRUITER · +84987111222');
    });
  });
});
