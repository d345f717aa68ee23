import { get as httpGet } from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';

import { OpenDataService, OpenDataSnapshots, vietnamDate } from '@app/open-data';
import { parse } from 'csv-parse/sync';
import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser, jobOrderDraft } from './helpers/factories';

/** What no open file may name: people, contacts, free text, counters. */
const FORBIDDEN_COLUMNS =
  /phone|hotline|email|address|website|description|requirements|views|consultation|full_name|birth_year$|enterprise/;
const HOTLINE = '02439998877';
const ADDRESS = 'Số 7 ngõ Bí Mật, Hà Nội';
const PERSONAL_DESCRIPTION = 'Liên hệ chị Trần Thị Bích 0987654321 để được phỏng vấn';
/** A title that breaks every naive CSV writer: quotes, commas and a line break. */
const AWKWARD_TITLE = 'Tuyển 10 "Nam", chế biến thực phẩm,\nOsaka; lương "cao"';
const FORMULA_TITLE = '=HYPERLINK("http://evil.example","Bấm vào đây")';
const MINUS_TITLE = '-50% phí, Đài Loan';
const yesterday = vietnamDate(Date.now() - 86_400_000);

type Row = Record<string, string>;

/** A CSV file as records, with a real RFC 4180 parser; fails on anything malformed. */
function parseCsv(text: string): { header: string[]; rows: Row[] } {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const records: string[][] = parse(text, { bom: true, record_delimiter: '\r\n', relax_quotes: false });
  const [header, ...lines] = records;
  return {
    header,
    rows: lines.map((line) => {
      expect(line).toHaveLength(header.length);
      return Object.fromEntries(header.map((name, i) => [name, line[i]]));
    }),
  };
}

/** A raw GET, for what supertest would decode on the way (gzip). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    }).on('error', reject);
  });
}

describe('open data', () => {
  let ctx: TestContext;
  let port: number;
  let active: string;
  let other: string;
  let suspended: string;
  let pending: string;
  let revoked: string;
  let awkward: string;
  let formula: string;
  let minus: string;
  let ofSuspended: string;
  let draft: string;
  let closed: string;
  let agencyToken: string;
  let regulatorToken: string;

  const file = (path: string) => request(ctx.http).get(`/api/v1/open-data/${path}`);

  /** Publishes a new order through the agency's own API, as an agency would. */
  const publishOrder = async (title: string) => {
    const { body } = await ctx
      .as(agencyToken)
      .post('/agency/job-orders', jobOrderDraft({ title }))
      .expect(201);
    await ctx.as(agencyToken).post(`/agency/job-orders/${body.id}/submit`).expect(200);
    await ctx.db.query(
      `UPDATE job_orders SET registration_status = 'approved', registration_number = 'DK-77/QLLĐNN',
         registration_approved_on = '2026-11-01', approved_headcount = 20 WHERE id = $1`,
      [body.id],
    );
    await ctx.as(agencyToken).post(`/agency/job-orders/${body.id}/publish`).expect(200);
    return body.id as string;
  };

  /** The ids the public listing shows, from the database itself. */
  const publicOrderIds = async () =>
    (
      await ctx.db.query<{ id: string }>(
        `SELECT o.id FROM job_orders o JOIN agencies a ON a.id = o.agency_id
         WHERE o.publication_status = 'published' AND a.license_status = 'active'`,
      )
    ).rows
      .map((row) => row.id)
      .sort();

  beforeAll(async () => {
    ctx = await TestContext.create();
    port = (ctx.http.address() as AddressInfo).port;
    active = await createAgency(ctx.db, {
      name: 'Công ty Nhân lực "Sao Mai", Chi nhánh Hà Nội',
      licenseNumber: '101/LĐTBXH-GP',
      provinceCode: 'ha-noi',
    });
    await ctx.db.query(
      `UPDATE agencies SET hotline = $2, address = $3, license_issued_on = '2019-03-04',
         license_status_changed_at = '2024-05-06T07:08:09Z' WHERE id = $1`,
      [active, HOTLINE, ADDRESS],
    );
    other = await createAgency(ctx.db, { name: 'Công ty Hoàng Long', licenseNumber: '102/LĐTBXH-GP' });
    suspended = await createAgency(ctx.db, {
      name: 'Công ty Bị Đình Chỉ',
      licenseNumber: '103/LĐTBXH-GP',
      licenseStatus: 'suspended',
    });
    pending = await createAgency(ctx.db, {
      name: 'Công ty Chưa Xác Minh',
      licenseNumber: '104/LĐTBXH-GP',
      licenseStatus: 'pending_verification',
    });
    revoked = await createAgency(ctx.db, {
      name: 'Công ty Bị Thu Hồi',
      licenseNumber: '105/LĐTBXH-GP',
      licenseStatus: 'revoked',
    });

    awkward = await createJobOrder(ctx.db, {
      agencyId: active,
      title: AWKWARD_TITLE,
      publishedAt: new Date('2026-01-02T03:04:05.678Z'),
    });
    await ctx.db.query(`UPDATE job_orders SET description = $2, registration_number = $3 WHERE id = $1`, [
      awkward,
      PERSONAL_DESCRIPTION,
      '12/QLLĐNN-ĐK',
    ]);
    formula = await createJobOrder(ctx.db, { agencyId: active, title: FORMULA_TITLE });
    minus = await createJobOrder(ctx.db, { agencyId: other, title: MINUS_TITLE, country: 'TW' });
    ofSuspended = await createJobOrder(ctx.db, {
      agencyId: suspended,
      title: 'Đơn của doanh nghiệp bị đình chỉ',
    });
    draft = await createJobOrder(ctx.db, {
      agencyId: active,
      title: 'Đơn chưa đăng',
      publicationStatus: 'draft',
      registrationStatus: 'draft',
    });
    closed = await createJobOrder(ctx.db, { agencyId: active, title: 'Đơn đã đóng' });
    await ctx.db.query(`UPDATE job_orders SET publication_status = 'closed' WHERE id = $1`, [closed]);

    await ctx.db.query(
      `INSERT INTO departure_reports (agency_id, month, country_code, total, women) VALUES
         ($1, '2026-01', 'JP', 10, 4), ($2, '2026-01', 'JP', 5, 1), ($1, '2026-02', 'TW', 7, 7),
         ($3, '2026-01', 'JP', 100, 50), ($4, '2025-12', 'KR', 3, 0)`,
      [active, other, pending, revoked],
    );

    const admin = await createUser(ctx.db, { role: 'agency_admin', agencyId: active });
    agencyToken = await ctx.login(admin.email, admin.password);
    const regulator = await createUser(ctx.db, { role: 'regulator' });
    regulatorToken = await ctx.login(regulator.email, regulator.password);
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('the catalogue', () => {
    it('lists each dataset with its formats, a bilingual data dictionary, the licence and attribution', async () => {
      const { body } = await request(ctx.http).get('/api/v1/open-data').expect(200);
      expect(body.license).toEqual({
        id: 'CC-BY-4.0',
        name: 'Creative Commons Attribution 4.0 International',
        url: 'https://creativecommons.org/licenses/by/4.0/',
      });
      expect(body.attribution.vi).toContain('CC BY 4.0');
      expect(body.attribution.en).toContain('CC BY 4.0');
      expect(body.datasets.map((d: { name: string }) => d.name)).toEqual([
        'agencies',
        'departures',
        'job-orders',
      ]);
      for (const dataset of body.datasets) {
        expect(dataset.formats.map((f: { href: string }) => f.href)).toEqual([
          `/api/v1/open-data/${dataset.name}.csv`,
          `/api/v1/open-data/${dataset.name}.json`,
        ]);
        expect(dataset.fields.length).toBeGreaterThan(3);
        for (const field of dataset.fields) {
          expect(field.name).toMatch(/^[a-z_]+$/);
          expect(field.name).not.toMatch(FORBIDDEN_COLUMNS);
          expect(field.description.vi.length).toBeGreaterThan(2);
          expect(field.description.en.length).toBeGreaterThan(2);
          expect(['text', 'code', 'integer', 'decimal', 'date', 'month', 'date-time']).toContain(field.type);
        }
        // Each file's header is its dictionary, in order.
        const { header } = parseCsv((await file(`${dataset.name}.csv`).expect(200)).text);
        expect(header).toEqual(dataset.fields.map((f: { name: string }) => f.name));
      }
    });
  });

  describe('agencies', () => {
    it('lists every verified agency with its licence, and no contact details', async () => {
      const response = await file('agencies.csv').expect(200);
      const { rows } = parseCsv(response.text);
      const expected = await ctx.db.query<{ license_number: string }>(
        `SELECT license_number FROM agencies WHERE license_status <> 'pending_verification' ORDER BY license_number`,
      );
      expect(rows.map((row) => row.license_number)).toEqual(expected.rows.map((row) => row.license_number));
      expect(rows.map((row) => row.license_number)).not.toContain('104/LĐTBXH-GP');
      expect(rows.find((row) => row.license_number === '101/LĐTBXH-GP')).toEqual({
        license_number: '101/LĐTBXH-GP',
        name: 'Công ty Nhân lực "Sao Mai", Chi nhánh Hà Nội',
        province_code: 'ha-noi',
        province_name: 'Hà Nội',
        license_status: 'active',
        license_status_since: '2024-05-06T07:08:09Z',
        license_issued_on: '2019-03-04',
      });
      expect(rows.find((row) => row.license_number === '105/LĐTBXH-GP')!.license_status).toBe('revoked');
      expect(response.text).not.toContain(HOTLINE);
      expect(response.text).not.toContain('Bí Mật');

      const json = (await file('agencies.json').expect(200)).body as Record<string, unknown>[];
      expect(json.map((item) => ({ ...item }))).toEqual(
        rows.map((row) => ({
          ...row,
          license_status_since: row.license_status_since || null,
          license_issued_on: row.license_issued_on || null,
        })),
      );
    });
  });

  describe('departures', () => {
    it('sums the reports by month and destination as /stats/departures does, unverified agencies left out', async () => {
      const { rows } = parseCsv((await file('departures.csv').expect(200)).text);
      expect(rows).toEqual([
        { month: '2025-12', country_code: 'KR', country_name: 'Hàn Quốc', total: '3', women: '0' },
        { month: '2026-01', country_code: 'JP', country_name: 'Nhật Bản', total: '15', women: '5' },
        { month: '2026-02', country_code: 'TW', country_name: 'Đài Loan', total: '7', women: '7' },
      ]);
      for (const month of ['2025-12', '2026-01', '2026-02']) {
        const { body: stats } = await request(ctx.http)
          .get(`/api/v1/stats/departures?month=${month}`)
          .expect(200);
        const ofMonth = rows.filter((row) => row.month === month);
        expect(
          ofMonth.map((row) => ({ country: row.country_code, total: +row.total, women: +row.women })),
        ).toEqual(stats.byCountry);
      }
      const json = (await file('departures.json').expect(200)).body;
      expect(json).toEqual(rows.map((row) => ({ ...row, total: +row.total, women: +row.women })));
    });
  });

  describe('job orders', () => {
    it('holds exactly the published orders of active agencies, each as the database has it', async () => {
      const response = await file('job-orders.csv').expect(200);
      const { rows } = parseCsv(response.text);
      const ids = rows.map((row) => row.id);
      expect([...ids].sort()).toEqual(await publicOrderIds());
      for (const absent of [ofSuspended, draft, closed]) expect(ids).not.toContain(absent);
      // Oldest publication first.
      const times = rows.map((row) => Date.parse(row.published_at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);

      const { rows: stored } = await ctx.db.query(
        `SELECT o.*, a.license_number, a.name AS agency_name FROM job_orders o JOIN agencies a ON a.id = o.agency_id
         WHERE o.id = $1`,
        [awkward],
      );
      const order = stored[0];
      const sample = rows.find((row) => row.id === awkward)!;
      expect(sample).toEqual({
        id: awkward,
        title: AWKWARD_TITLE,
        occupation: order.occupation,
        country_code: 'JP',
        country_name: 'Nhật Bản',
        work_location: order.work_location,
        industry_code: order.industry_code,
        industry_name: expect.any(String),
        program_code: order.program_code,
        program_name: expect.any(String),
        openings: String(order.openings),
        gender: order.gender,
        birth_year_from: String(order.birth_year_from),
        birth_year_to: String(order.birth_year_to),
        salary_amount: order.salary_amount,
        salary_currency: order.salary_currency,
        salary_vnd_estimate: String(order.salary_vnd_estimate),
        contract_months: String(order.contract_months),
        service_fee_vnd: String(order.service_fee_vnd),
        training_fee_vnd: String(order.training_fee_vnd),
        deposit_vnd: String(order.deposit_vnd),
        airfare_vnd: String(order.airfare_vnd),
        brokerage_fee_vnd: String(order.brokerage_fee_vnd),
        other_cost_vnd: String(order.other_cost_vnd),
        total_cost_vnd: String(order.total_cost_vnd),
        registration_status: 'approved',
        registration_number: '12/QLLĐNN-ĐK',
        registration_approved_on: '',
        approved_headcount: '',
        agency_license_number: '101/LĐTBXH-GP',
        agency_name: 'Công ty Nhân lực "Sao Mai", Chi nhánh Hà Nội',
        published_at: '2026-01-02T03:04:05.678000Z',
      });
      expect(sample.industry_name.length).toBeGreaterThan(2);

      // Formulas are defused in the CSV, and only there; other cells are never touched.
      expect(rows.find((row) => row.id === formula)!.title).toBe(`'${FORMULA_TITLE}`);
      expect(rows.find((row) => row.id === minus)!.title).toBe(`'${MINUS_TITLE}`);

      const json = (await file('job-orders.json').expect(200)).body as Record<string, unknown>[];
      expect(json.map((item) => item.id)).toEqual(ids);
      const fromJson = json.find((item) => item.id === awkward)!;
      expect(fromJson).toMatchObject({
        title: AWKWARD_TITLE,
        salary_amount: Number(order.salary_amount),
        salary_vnd_estimate: Number(order.salary_vnd_estimate),
        total_cost_vnd: Number(order.total_cost_vnd),
        registration_approved_on: null,
        approved_headcount: null,
      });
      expect(json.find((item) => item.id === formula)!.title).toBe(FORMULA_TITLE);
    });

    it('carries no personal field and no free text', async () => {
      for (const format of ['csv', 'json']) {
        const { text } = await file(`job-orders.${format}`).expect(200);
        expect(text).not.toContain('0987654321');
        expect(text).not.toContain('Trần Thị Bích');
        expect(text).not.toContain(HOTLINE);
      }
      const { header } = parseCsv((await file('job-orders.csv').expect(200)).text);
      expect(header.filter((name) => FORBIDDEN_COLUMNS.test(name))).toEqual([]);
      const [first] = (await file('job-orders.json').expect(200)).body as Record<string, unknown>[];
      expect(Object.keys(first)).toEqual(header);
    });
  });

  describe('headers', () => {
    it('names the file with the day, carries the licence, and lets other sites read it', async () => {
      const today = vietnamDate();
      const csv = await file('job-orders.csv').expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="xkld-job-orders-${today}.csv"`);
      expect(csv.headers.link).toContain('<https://creativecommons.org/licenses/by/4.0/>; rel="license"');
      expect(csv.headers.link).toContain('</api/v1/open-data>; rel="describedby"');
      expect(csv.headers['cache-control']).toBe('public, no-cache');
      expect(csv.headers.etag).toMatch(/^W\/"[\w-]+"$/);
      expect(csv.headers['access-control-allow-origin']).toBe('*');
      expect(csv.headers['x-content-type-options']).toBe('nosniff');
      const json = await file('agencies.json').expect(200);
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(json.headers['content-disposition']).toBe(`inline; filename="xkld-agencies-${today}.json"`);
      expect(json.headers.etag).not.toBe(csv.headers.etag);
    });

    it('streams at most OPEN_DATA_MAX_CONCURRENT_EXPORTS exports at once, and frees a slot as one ends', async () => {
      const openData = ctx.api.get(OpenDataService, { strict: false });
      const streams: Readable[] = [];
      for (let i = 0; i < 8; i++) streams.push(await (await openData.live('agencies', 'csv')).open());
      const refused = await file('agencies.csv').expect(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(refused.headers['retry-after']).toBe('10');
      expect(refused.headers.etag).toBeUndefined();
      streams.pop()!.destroy();
      await new Promise((resolve) => setImmediate(resolve));
      await file('agencies.csv').expect(200);
      for (const stream of streams) stream.destroy();
    });

    it('refuses unknown parameters and malformed dates', async () => {
      await file('job-orders.csv?format=xml').expect(400);
      await file('job-orders.csv?date=yesterday').expect(400);
      await file('job-orders.csv?date=2026-02-30').expect(400);
      const { body } = await file('job-orders.csv?date=2001-01-01').expect(404);
      expect(body.code).toBe('OPEN_DATA_SNAPSHOT_NOT_FOUND');
      await file('job-orders.xml').expect(404);
    });
  });

  describe('ETag', () => {
    it('answers 304 while the data stay the same, and a new ETag once an order is published', async () => {
      const first = await file('job-orders.csv').expect(200);
      const etag = first.headers.etag;
      const agenciesEtag = (await file('agencies.csv').expect(200)).headers.etag;
      const notModified = await file('job-orders.csv').set('If-None-Match', etag).expect(304);
      expect(notModified.text ?? '').toBe('');
      expect(notModified.headers.etag).toBe(etag);
      expect(notModified.headers['cache-control']).toBe('public, no-cache');
      await file('job-orders.csv').set('If-None-Match', `"other", ${etag}`).expect(304);
      await file('job-orders.csv').set('If-None-Match', '"other"').expect(200);

      const published = await publishOrder('Tuyển 20 Nữ đóng gói tại Aichi');
      const changed = await file('job-orders.csv').set('If-None-Match', etag).expect(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(parseCsv(changed.text).rows.map((row) => row.id)).toContain(published);
      // Another dataset's ETag follows its own data only.
      await file('agencies.csv').set('If-None-Match', agenciesEtag).expect(304);
    });

    it('changes when an agency is suspended, whose orders leave the file at once', async () => {
      const before = await file('job-orders.csv').expect(200);
      expect(parseCsv(before.text).rows.map((row) => row.id)).toContain(minus);
      const agenciesBefore = (await file('agencies.csv').expect(200)).headers.etag;
      await ctx
        .as(regulatorToken)
        .post(`/regulator/agencies/${other}/license`, {
          status: 'suspended',
          reason: 'Thu phí vượt mức trần',
        })
        .expect(200);
      const after = await file('job-orders.csv').set('If-None-Match', before.headers.etag).expect(200);
      expect(parseCsv(after.text).rows.map((row) => row.id)).not.toContain(minus);
      const agencies = await file('agencies.csv').set('If-None-Match', agenciesBefore).expect(200);
      expect(
        parseCsv(agencies.text).rows.find((row) => row.license_number === '102/LĐTBXH-GP'),
      ).toMatchObject({
        license_status: 'suspended',
      });
    });
  });

  describe('daily snapshots', () => {
    it("serves a past day's file as it was that day, unchanged by later publications", async () => {
      const snapshots = ctx.api.get(OpenDataSnapshots, { strict: false });
      // Yesterday: within the retention, which the worker's run below applies.
      const day = yesterday;
      expect(await snapshots.take('job-orders', day)).toBe(true);
      // Once a day: a second run of the same day changes nothing.
      expect(await snapshots.take('job-orders', day)).toBe(false);
      const live = await file('job-orders.csv').expect(200);

      const later = await publishOrder('Tuyển 8 Nam cơ khí tại Gifu');
      const snapshot = await file(`job-orders.csv?date=${day}`)
        .set('Accept-Encoding', 'identity')
        .expect(200);
      expect(snapshot.text).toBe(live.text);
      expect(parseCsv(snapshot.text).rows.map((row) => row.id)).not.toContain(later);
      expect(snapshot.headers['content-disposition']).toBe(
        `attachment; filename="xkld-job-orders-${day}.csv"`,
      );
      expect(snapshot.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(snapshot.headers['content-length']).toBe(String(Buffer.byteLength(live.text)));
      expect(snapshot.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(snapshot.headers.vary).toContain('Accept-Encoding');
      await file(`job-orders.csv?date=${day}`)
        .set('Accept-Encoding', 'identity')
        .set('If-None-Match', snapshot.headers.etag)
        .expect(304);

      // Stored gzip-compressed, and sent as stored to a client that accepts it.
      const gzipped = await rawGet(port, `/api/v1/open-data/job-orders.csv?date=${day}`, {
        'accept-encoding': 'gzip',
      });
      expect(gzipped.status).toBe(200);
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.headers['content-length']).toBe(String(gzipped.body.length));
      expect(gunzipSync(gzipped.body).toString('utf8')).toBe(live.text);

      const json = await file(`job-orders.json?date=${day}`).expect(200);
      expect((json.body as { id: string }[]).map((item) => item.id)).toEqual(
        parseCsv(live.text).rows.map((row) => row.id),
      );

      const { body: catalogue } = await request(ctx.http).get('/api/v1/open-data').expect(200);
      const listed = catalogue.datasets.find((d: { name: string }) => d.name === 'job-orders').snapshots;
      expect(listed).toContainEqual(
        expect.objectContaining({
          date: day,
          rows: parseCsv(live.text).rows.length,
          files: expect.arrayContaining([
            expect.objectContaining({
              format: 'csv',
              href: `/api/v1/open-data/job-orders.csv?date=${day}`,
              bytes: Buffer.byteLength(live.text),
              gzipBytes: gzipped.body.length,
            }),
          ]),
        }),
      );
    });

    it("is taken by the worker's scheduled job for today, for every dataset", async () => {
      await ctx.startWorker();
      const today = vietnamDate();
      const taken = await ctx.waitFor(
        async () => {
          const { rows } = await ctx.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM open_data_snapshots WHERE snapshot_date = $1`,
            [today],
          );
          return rows[0].n === 6 ? rows[0].n : undefined;
        },
        20_000,
        "today's snapshots",
      );
      expect(taken).toBe(6);
      const agencies = parseCsv((await file(`agencies.csv?date=${today}`).expect(200)).text);
      const live = parseCsv((await file('agencies.csv').expect(200)).text);
      expect(agencies).toEqual(live);
      await file(`departures.json?date=${today}`).expect(200);
    });
  });

  describe('the web page', () => {
    it('lists the datasets, their downloads, dictionaries and licence, in Vietnamese first, without script', async () => {
      const page = await request(ctx.http).get('/du-lieu-mo').expect(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
      expect(page.text).toContain('Dữ liệu mở về xuất khẩu lao động');
      for (const name of ['agencies', 'departures', 'job-orders']) {
        expect(page.text).toContain(`href="/api/v1/open-data/${name}.csv"`);
        expect(page.text).toContain(`href="/api/v1/open-data/${name}.json"`);
      }
      expect(page.text).toContain('href="https://creativecommons.org/licenses/by/4.0/" rel="license"');
      expect(page.text).toContain('<code>salary_vnd_estimate</code>');
      expect(page.text).toContain(`href="/api/v1/open-data/job-orders.csv?date=${yesterday}"`);

      const english = await request(ctx.http).get('/du-lieu-mo?lang=en').expect(200);
      expect(english.text).toContain('Open data on labour export');
      expect(english.text).toContain('Salary in VND at the exchange rate in force (estimate)');

      const home = await request(ctx.http).get('/').expect(200);
      expect(home.text).toContain('href="/du-lieu-mo"');
    });
  });
});
