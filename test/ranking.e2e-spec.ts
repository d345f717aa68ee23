import { randomInt } from 'node:crypto';

import { PersonalDataCipher } from '@app/core';
import { RankingService } from '@app/ranking';
import request from 'supertest';

import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';

const HOUR = 3_600_000;
const YEAR = new Date().getUTCFullYear();

describe('agency ranking and reviews', () => {
  let ctx: TestContext;
  let ranking: RankingService;
  let cipher: PersonalDataCipher;
  let phoneSerial = 3_000_000;

  const nextPhone = () => `+8491${String(phoneSerial++).padStart(7, '0')}`;
  const trackingCode = () =>
    Array.from({ length: 10 }, () => '23456789ABCDEFGHJKMNPQRSTUVWXYZ'[randomInt(31)]).join('');

  /**
   * A consultation request stored and moved along its timeline the way the api and the worker write it:
   * the request row, then one consultation_events row per status reached.
   */
  async function lead(
    orderId: string,
    options: {
      phone?: string;
      ip?: string;
      createdAt?: Date;
      assignAfterMs?: number | null;
      contactAfterMs?: number | null;
      close?: boolean;
    } = {},
  ): Promise<{ id: string; trackingCode: string; phone: string }> {
    const phone = options.phone ?? nextPhone();
    const createdAt = options.createdAt ?? new Date(Date.now() - 72 * HOUR);
    const code = trackingCode();
    const {
      rows: [{ id }],
    } = await ctx.db.query<{ id: string }>(
      `INSERT INTO consultation_requests (tracking_code, job_order_id, agency_id, full_name_encrypted,
         phone_encrypted, phone_hash, province_code, birth_year, ip_hash, created_at)
       SELECT $1, o.id, o.agency_id, 'x', 'x', $3, 'nghe-an', 2000, $4, $5 FROM job_orders o WHERE o.id = $2
       RETURNING id`,
      [code, orderId, cipher.lookupHash(phone), cipher.lookupHash(`ip:${options.ip ?? phone}`), createdAt],
    );
    await ctx.db.query(
      `INSERT INTO consultation_events (request_id, status, at) VALUES ($1, 'received', $2)`,
      [id, createdAt],
    );
    const assignAfter = options.assignAfterMs === undefined ? 1000 : options.assignAfterMs;
    if (assignAfter === null) return { id, trackingCode: code, phone };
    const assignedAt = new Date(createdAt.getTime() + assignAfter);
    await ctx.db.query(
      `UPDATE consultation_requests SET status = 'assigned', assigned_at = $2 WHERE id = $1`,
      [id, assignedAt],
    );
    await ctx.db.query(
      `INSERT INTO consultation_events (request_id, status, at) VALUES ($1, 'assigned', $2)`,
      [id, assignedAt],
    );
    if (options.contactAfterMs === undefined || options.contactAfterMs === null) {
      return { id, trackingCode: code, phone };
    }
    const contactedAt = new Date(assignedAt.getTime() + options.contactAfterMs);
    const status = options.close ? 'closed' : 'contacted';
    await ctx.db.query(
      `UPDATE consultation_requests SET status = $3::consultation_status, first_contacted_at = $2,
         closed_at = CASE WHEN $3::text = 'closed' THEN $2::timestamptz END,
         outcome = CASE WHEN $3::text = 'closed' THEN 'enrolled'::consultation_outcome END
       WHERE id = $1`,
      [id, contactedAt, status],
    );
    await ctx.db.query(`INSERT INTO consultation_events (request_id, status, at) VALUES ($1, $2, $3)`, [
      id,
      status,
      contactedAt,
    ]);
    return { id, trackingCode: code, phone };
  }

  async function storedReview(requestId: string, ratings: [number, number, number, number]): Promise<void> {
    await ctx.db.query(
      `INSERT INTO reviews (request_id, agency_id, country_code, phone_hash, fees, contract, training, responsiveness)
       SELECT r.id, r.agency_id, o.country_code, r.phone_hash, $2, $3, $4, $5
       FROM consultation_requests r JOIN job_orders o ON o.id = r.job_order_id WHERE r.id = $1`,
      [requestId, ...ratings],
    );
  }

  /** Folds what is queued, then reads GET /agencies/top once it serves the ranking just stored. */
  const top = async (query = '') => {
    await ranking.foldPending();
    const {
      rows: [state],
    } = await ctx.db.query<{ computed_at: Date }>(`SELECT computed_at FROM ranking_state`);
    return ctx.waitFor(
      async () => {
        const { body } = await request(ctx.http).get(`/api/v1/agencies/top${query}`).expect(200);
        return body.computedAt === state.computed_at.toISOString() ? body : undefined;
      },
      5000,
      'the api to serve the stored ranking',
    );
  };
  const entryOf = (page: { items: { agency: { id: string } }[] }, agencyId: string) =>
    page.items.find((item) => item.agency.id === agencyId) as
      | {
          rank: number;
          score: number;
          components: Record<string, number>;
          sampleSize: Record<string, number>;
        }
      | undefined;

  beforeAll(async () => {
    ctx = await TestContext.create();
    ranking = ctx.api.get(RankingService);
    cipher = ctx.api.get(PersonalDataCipher);
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('the formula', () => {
    let agency: string;
    let suspended: string;

    beforeAll(async () => {
      agency = await createAgency(ctx.db, { name: 'Công ty Xếp hạng A' });
      const jp1 = await createJobOrder(ctx.db, { agencyId: agency, country: 'JP' });
      const jp2 = await createJobOrder(ctx.db, { agencyId: agency, country: 'JP' });
      const taken = await createJobOrder(ctx.db, { agencyId: agency, country: 'JP' });
      await ctx.db.query(`UPDATE job_orders SET approved_headcount = 10 WHERE id = $1`, [jp1]);
      await ctx.db.query(`UPDATE job_orders SET approved_headcount = 30 WHERE id = $1`, [jp2]);
      await ctx.db.query(
        `UPDATE job_orders SET publication_status = 'taken_down', approved_headcount = 0 WHERE id = $1`,
        [taken],
      );
      await ctx.db.query(
        `INSERT INTO departure_reports (agency_id, month, country_code, total, women) VALUES ($1, '2025-01', 'JP', 4, 1)`,
        [agency],
      );
      // A correction replaces the month's figure: 10 departures, not 14.
      await ctx.db.query(
        `UPDATE departure_reports SET total = 10 WHERE agency_id = $1 AND month = '2025-01'`,
        [agency],
      );
      await lead(jp1, { contactAfterMs: 1 * HOUR });
      const reviewed = await lead(jp1, { contactAfterMs: 2 * HOUR, close: true });
      await lead(jp2, { contactAfterMs: 30 * HOUR });
      await lead(jp2);
      await lead(jp2, { assignAfterMs: null });
      await storedReview(reviewed.id, [5, 5, 4, 4]);

      suspended = await createAgency(ctx.db, { name: 'Công ty Bị Đình chỉ', licenseStatus: 'suspended' });
      const order = await createJobOrder(ctx.db, { agencyId: suspended, country: 'JP' });
      await ctx.db.query(`UPDATE job_orders SET approved_headcount = 5 WHERE id = $1`, [order]);
      for (let i = 0; i < 3; i++) await lead(order, { contactAfterMs: 60_000 });
    });

    it('scores a small agency exactly as computed by hand', async () => {
      const page = await top();
      const entry = entryOf(page, agency)!;
      // One takedown in 24 months.
      const compliance = 1 - 0.25;
      // Four people (the request never assigned does not count); reached within 24 h: 1 h and 2 h;
      // contacted after 1 h, 2 h and 30 h: the median is 2 h.
      const speed = 1 - 2 / 48;
      const responsiveness = (0.7 * 2 + 0.3 * speed * 4 + 10 * 0.5) / (4 + 10);
      const outcomes = 10 / (10 + 30);
      const reviews = ((10 * 3.5 + (5 + 5 + 4 + 4) / 4) / (10 + 1) - 1) / 4;
      const activity = 2 / 10;
      const score =
        100 * (0.3 * compliance + 0.25 * responsiveness + 0.2 * outcomes + 0.15 * reviews + 0.1 * activity);

      expect(entry.components.compliance).toBeCloseTo(compliance, 4);
      expect(entry.components.responsiveness).toBeCloseTo(responsiveness, 4);
      expect(entry.components.outcomes).toBeCloseTo(outcomes, 4);
      expect(entry.components.reviews).toBeCloseTo(reviews, 4);
      expect(entry.components.activity).toBeCloseTo(activity, 4);
      expect(entry.score).toBeCloseTo(score, 2);
      expect(entry.sampleSize).toMatchObject({
        leads: 4,
        people: 4,
        contacted: 3,
        contactedWithin24h: 2,
        medianHoursToFirstContact: 2,
        reviews: 1,
        departures: 10,
        approvedHeadcount: 40,
        openOrders: 2,
        incidents: 1,
      });
      expect(page.formula.weights).toEqual({
        compliance: 0.3,
        responsiveness: 0.25,
        outcomes: 0.2,
        reviews: 0.15,
        activity: 0.1,
      });
      expect(page.formula.parameters.reviewPrior).toEqual({ m: 3.5, C: 10 });
      expect(new Date(page.computedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

      const japan = entryOf(await top('?country=jp'), agency)!;
      expect(japan.score).toBeCloseTo(score, 2);
      expect(
        (await top('?country=TW')).items.map((item: { agency: { id: string } }) => item.agency.id),
      ).not.toContain(agency);
    });

    it('never ranks an agency whose licence is not active, and counts its suspension once reinstated', async () => {
      expect(entryOf(await top(), suspended)).toBeUndefined();
      expect(entryOf(await top('?country=JP'), suspended)).toBeUndefined();

      await ctx.db.query(`UPDATE agencies SET license_status = 'active' WHERE id = $1`, [suspended]);
      expect(entryOf(await top(), suspended)?.components.compliance).toBeCloseTo(1, 4);

      await ctx.db.query(`UPDATE agencies SET license_status = 'suspended' WHERE id = $1`, [suspended]);
      expect(entryOf(await top(), suspended)).toBeUndefined();
      await ctx.db.query(`UPDATE agencies SET license_status = 'active' WHERE id = $1`, [suspended]);
      const back = entryOf(await top(), suspended)!;
      expect(back.components.compliance).toBeCloseTo(0.75, 4);
      expect(back.sampleSize.incidents).toBe(1);
    });

    it('drops a suspended agency from the stored ranking within a second, before any fold', async () => {
      const before = await top('?limit=100');
      expect(entryOf(before, suspended)).toBeDefined();
      await ctx.db.query(`UPDATE agencies SET license_status = 'suspended' WHERE id = $1`, [suspended]);
      try {
        const started = Date.now();
        // No fold runs here: the page is re-read with the licences at most a second after it was cached.
        const after = await ctx.waitFor(async () => {
          const { body } = await request(ctx.http).get('/api/v1/agencies/top?limit=100').expect(200);
          return entryOf(body, suspended) ? undefined : body;
        }, 3000);
        expect(Date.now() - started).toBeLessThan(2000);
        expect(after.items.map((item: { rank: number }) => item.rank)).toEqual(
          before.items.slice(1).map((_: unknown, i: number) => i + 1),
        );
        expect(after.items.map((item: { agency: { id: string } }) => item.agency.id)).toEqual(
          before.items
            .map((item: { agency: { id: string } }) => item.agency.id)
            .filter((id: string) => id !== suspended),
        );
        const profile = await request(ctx.http).get(`/api/v1/agencies/${suspended}`).expect(200);
        expect(JSON.stringify(profile.body)).not.toMatch(/"rank":/);
      } finally {
        await ctx.db.query(`UPDATE agencies SET license_status = 'active' WHERE id = $1`, [suspended]);
      }
    });

    it('ranks by score and shows the breakdown and review summary on the agency page', async () => {
      const page = await top('?limit=100');
      const scores = page.items.map((item: { score: number }) => item.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(page.items.map((item: { rank: number }) => item.rank)).toEqual(
        scores.map((_: number, i: number) => i + 1),
      );
      const entry = entryOf(page, agency)!;

      const raw = await request(ctx.http).get('/api/v1/agencies/top?limit=100').expect(200);
      expect(raw.headers['content-type']).toMatch(/^application\/json/);
      for (const query of ['?limit=0', '?limit=101', '?country=JPN', '?sort=score']) {
        const refused = await request(ctx.http).get(`/api/v1/agencies/top${query}`).expect(400);
        expect(refused.body.code).toBe('VALIDATION_FAILED');
      }

      const { body } = await request(ctx.http).get(`/api/v1/agencies/${agency}`).expect(200);
      expect(body.name).toBe('Công ty Xếp hạng A');
      expect(body.ranking.overall).toMatchObject({ country: null, rank: entry.rank, score: entry.score });
      expect(body.ranking.overall.outOf).toBe(page.items.length);
      expect(body.ranking.byCountry).toEqual([
        expect.objectContaining({ country: 'JP', rank: expect.any(Number) }),
      ]);
      expect(body.reviews).toMatchObject({
        count: 1,
        averages: { fees: 5, contract: 5, training: 4, responsiveness: 4 },
      });
    });
  });

  it('smooths reviews: three five-star reviews do not beat three hundred four-star ones', async () => {
    const few = await createAgency(ctx.db, { name: 'Ba đánh giá' });
    const many = await createAgency(ctx.db, { name: 'Ba trăm đánh giá' });
    const fewOrder = await createJobOrder(ctx.db, { agencyId: few });
    const manyOrder = await createJobOrder(ctx.db, { agencyId: many });
    for (let i = 0; i < 3; i++) {
      const { id } = await lead(fewOrder, { contactAfterMs: HOUR });
      await storedReview(id, [5, 5, 5, 5]);
    }
    // Three hundred people, in bulk: requests, their timeline and a 4-star review each.
    await ctx.db.query(
      `WITH r AS (
         INSERT INTO consultation_requests (tracking_code, job_order_id, agency_id, full_name_encrypted, phone_encrypted,
           phone_hash, province_code, birth_year, ip_hash, status, assigned_at, first_contacted_at, created_at)
         SELECT 'B' || lpad(i::text, 9, '0'), o.id, o.agency_id, 'x', 'x', md5('p' || i) || md5('q' || i), 'nghe-an',
           2000, md5('ip' || i) || md5('iq' || i), 'contacted', now() - interval '2 days', now() - interval '1 day',
           now() - interval '3 days'
         FROM job_orders o, generate_series(1, 300) i WHERE o.id = $1 RETURNING id),
       e AS (INSERT INTO consultation_events (request_id, status) SELECT id, s::consultation_event_status FROM r,
         unnest(ARRAY['assigned', 'contacted']) s ORDER BY id, s)
       SELECT 1`,
      [manyOrder],
    );
    await ctx.db.query(
      `INSERT INTO reviews (request_id, agency_id, country_code, phone_hash, fees, contract, training, responsiveness)
       SELECT r.id, r.agency_id, 'JP', r.phone_hash, 4, 4, 4, 4 FROM consultation_requests r WHERE r.agency_id = $1`,
      [many],
    );

    const page = await top('?limit=100');
    const fewReviews = entryOf(page, few)!.components.reviews;
    const manyReviews = entryOf(page, many)!.components.reviews;
    expect(fewReviews).toBeCloseTo(((10 * 3.5 + 3 * 5) / (10 + 3) - 1) / 4, 4);
    expect(manyReviews).toBeCloseTo(((10 * 3.5 + 300 * 4) / (10 + 300) - 1) / 4, 4);
    expect(manyReviews).toBeGreaterThan(fewReviews);
    expect(entryOf(page, many)!.sampleSize.reviews).toBe(300);
  });

  describe('anti-gaming', () => {
    let agency: string;
    let order: string;
    const sharedIp = '203.0.113.7';

    beforeAll(async () => {
      agency = await createAgency(ctx.db, { name: 'Công ty Chống gian lận' });
      order = await createJobOrder(ctx.db, { agencyId: agency, birthYearTo: YEAR - 18 });
      await lead(order, { phone: '+84912000001', contactAfterMs: 30 * HOUR });
      await lead(order, { contactAfterMs: 40 * HOUR });
      for (let i = 0; i < 3; i++) await lead(order, { ip: sharedIp, contactAfterMs: 50 * HOUR });
    });

    it('a burst of requests from one phone does not move the score', async () => {
      const before = entryOf(await top('?limit=100'), agency)!;
      for (let i = 0; i < 30; i++) await lead(order, { phone: '+84912000001', contactAfterMs: 60_000 });
      const after = entryOf(await top('?limit=100'), agency)!;
      expect(after.sampleSize.leads).toBe(before.sampleSize.leads + 30);
      expect(after.sampleSize.people).toBe(before.sampleSize.people);
      // Counted once: as reached, with its fastest first contact, so this person now counts as reached.
      expect(after.sampleSize.contactedWithin24h).toBe(before.sampleSize.contactedWithin24h + 1);
      const burst = entryOf(await top('?limit=100'), agency)!;
      for (let i = 0; i < 30; i++) await lead(order, { phone: '+84912000001', contactAfterMs: 1000 });
      expect(entryOf(await top('?limit=100'), agency)!.score).toBe(burst.score);
    });

    it('a burst of requests from many phones behind one address does not move the score', async () => {
      const before = entryOf(await top('?limit=100'), agency)!;
      for (let i = 0; i < 25; i++) {
        const { id } = await lead(order, { ip: sharedIp, contactAfterMs: 60_000 });
        await storedReview(id, [5, 5, 5, 5]);
      }
      const after = entryOf(await top('?limit=100'), agency)!;
      expect(after.sampleSize.leads).toBe(before.sampleSize.leads + 25);
      expect(after.score).toBe(before.score);
      expect(after.components).toEqual(before.components);
    });

    it('duplicate requests are stored once and counted once', async () => {
      await ctx.startWorker();
      try {
        const payload = {
          jobOrderId: order,
          fullName: 'Nguyễn Văn Trùng',
          phone: '0987000111',
          province: 'Nghệ An',
          birthYear: 2000,
          consent: true,
        };
        const first = await request(ctx.http).post('/api/v1/consultations').send(payload).expect(202);
        const again = await request(ctx.http).post('/api/v1/consultations').send(payload).expect(202);
        expect(again.body).toEqual({ status: 'received', duplicate: true });
        expect(first.body.trackingCode).toEqual(expect.any(String));
        const phoneHash = cipher.lookupHash('+84987000111');
        const { rows } = await ctx.db.query(
          `SELECT count(*)::int AS n FROM consultation_requests WHERE phone_hash = $1`,
          [phoneHash],
        );
        expect(rows[0].n).toBe(1);
        await ctx.waitFor(
          async () => {
            const stored = await ctx.db.query(
              `SELECT leads FROM ranking_contacts WHERE agency_id = $1 AND phone_hash = $2`,
              [agency, phoneHash],
            );
            return stored.rows[0]?.leads === 1 ? true : undefined;
          },
          20_000,
          'the worker to assign the lead and fold it into the ranking',
        );
      } finally {
        await ctx.stopWorker();
      }
    }, 40_000);
  });

  describe('reviews', () => {
    let agency: string;
    let order: string;
    let agencyToken: string;

    const review = (code: string, body: object, token?: string) => {
      const req = request(ctx.http).post(`/api/v1/consultations/${code}/review`);
      if (token) req.set('Authorization', `Bearer ${token}`);
      return req.send(body);
    };
    const ratings = { fees: 4, contract: 5, training: 3, responsiveness: 5 };

    beforeAll(async () => {
      agency = await createAgency(ctx.db, { name: 'Công ty Đánh giá' });
      order = await createJobOrder(ctx.db, { agencyId: agency, country: 'TW' });
      const staff = await createUser(ctx.db, { role: 'agency_staff', agencyId: agency });
      agencyToken = (
        await request(ctx.http)
          .post('/api/v1/auth/login')
          .send({ email: staff.email, password: staff.password })
          .expect(200)
      ).body.accessToken;
    });

    it('accepts one review of a contacted request from its phone, and masks phone numbers in it', async () => {
      const contacted = await lead(order, { contactAfterMs: HOUR });
      const token = ctx.applicantToken(`0${contacted.phone.slice(3)}`);
      const { body } = await review(
        contacted.trackingCode.toLowerCase(),
        { ratings, comment: '  Tư vấn nhiệt tình, gọi lại cho tôi ở số 0912 345 678 nhé  ' },
        token,
      ).expect(201);
      expect(body).toEqual({
        trackingCode: contacted.trackingCode,
        ratings,
        comment: 'Tư vấn nhiệt tình, gọi lại cho tôi ở số [số điện thoại đã ẩn] nhé',
        createdAt: expect.any(String),
      });
      const again = await review(contacted.trackingCode, { ratings }, token).expect(409);
      expect(again.body.code).toBe('ALREADY_REVIEWED');
      expect(again.headers['content-type']).toMatch(/application\/problem\+json/);

      // Another request of the same person to the same agency: still one voice.
      const second = await lead(order, { phone: contacted.phone, contactAfterMs: HOUR });
      expect((await review(second.trackingCode, { ratings }, token).expect(409)).body.code).toBe(
        'ALREADY_REVIEWED',
      );

      const { rows } = await ctx.db.query(`SELECT * FROM reviews WHERE agency_id = $1`, [agency]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows[0])).not.toContain(contacted.phone.slice(3));

      const page = await top('?country=TW');
      expect(entryOf(page, agency)!.sampleSize.reviews).toBe(1);
      const profile = await request(ctx.http).get(`/api/v1/agencies/${agency}`).expect(200);
      expect(profile.body.reviews.recent).toEqual([
        expect.objectContaining({ comment: body.comment, ratings, country: 'TW' }),
      ]);
    });

    it('refuses a review before the agency made contact, and for an unknown code', async () => {
      const assigned = await lead(order);
      const early = await review(
        assigned.trackingCode,
        { ratings },
        ctx.applicantToken(assigned.phone),
      ).expect(409);
      expect(early.body.code).toBe('REVIEW_NOT_ALLOWED_YET');
      const received = await lead(order, { assignAfterMs: null });
      expect(
        (await review(received.trackingCode, { ratings }, ctx.applicantToken(received.phone)).expect(409))
          .body.code,
      ).toBe('REVIEW_NOT_ALLOWED_YET');
      await review('ZZZZZZZZZZ', { ratings }, ctx.applicantToken(assigned.phone)).expect(404);
    });

    it("needs the applicant token of the request's phone: none is 401, another phone's 403, an agency's 401", async () => {
      const contacted = await lead(order, { contactAfterMs: HOUR });
      // Whoever knows the code and the phone number, an agency included, cannot review without the phone.
      const anonymous = await review(contacted.trackingCode, { ratings }).expect(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      const other = await review(
        contacted.trackingCode,
        { ratings },
        ctx.applicantToken('0912999999'),
      ).expect(403);
      expect(other.body.code).toBe('FORBIDDEN');
      expect((await review(contacted.trackingCode, { ratings }, agencyToken).expect(401)).body.code).toBe(
        'UNAUTHENTICATED',
      );
      await review(contacted.trackingCode, { ratings }, 'not-a-token').expect(401);
      // A phone in the body is an unknown field now, not a proof.
      await review(contacted.trackingCode, { phone: contacted.phone, ratings }).expect(401);
      const { rows } = await ctx.db.query(`SELECT count(*)::int AS n FROM reviews WHERE agency_id = $1`, [
        agency,
      ]);
      expect(rows[0].n).toBe(1);
    });

    it('refuses invalid ratings and unknown fields', async () => {
      const contacted = await lead(order, { contactAfterMs: HOUR });
      const token = ctx.applicantToken(contacted.phone);
      const invalid = await review(
        contacted.trackingCode,
        { ratings: { ...ratings, fees: 6, training: 2.5 }, comment: 'x'.repeat(1001), stars: 5 },
        token,
      ).expect(400);
      expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'comment',
        'ratings.fees',
        'ratings.training',
        'stars',
      ]);
      await review(contacted.trackingCode, { ratings: { fees: 5 } }, token).expect(400);

      await review(contacted.trackingCode, { ratings }, token).expect(201);
    });
  });

  it('folding the events incrementally gives exactly what a full recompute from raw data gives (10,000+ events)', async () => {
    const random = seeded(20251123);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const countries = ['JP', 'TW', 'KR', 'DE'];
    const agencies: string[] = [];
    for (let i = 0; i < 14; i++) {
      agencies.push(await createAgency(ctx.db, { licenseStatus: i === 13 ? 'suspended' : 'active' }));
    }
    const orders: { id: string; agencyId: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const agencyId = pick(agencies);
      orders.push({
        id: await createJobOrder(ctx.db, {
          agencyId,
          country: pick(countries),
          registrationStatus: pick(['approved', 'approved', 'source_preparation']),
        }),
        agencyId,
      });
    }
    const phones = Array.from({ length: 160 }, () => nextPhone());
    const ips = Array.from({ length: 40 }, (_, i) => `198.51.100.${i}`);
    const open: { id: string; stage: 'received' | 'assigned' | 'contacted' }[] = [];
    const [{ last }] = (await ctx.db.query(`SELECT coalesce(max(id), 0)::int AS last FROM ranking_events`))
      .rows;
    const eventsSince = async () =>
      (
        await ctx.db.query(
          `SELECT coalesce((SELECT last_value FROM pg_sequences WHERE sequencename = 'ranking_events_id_seq'), 0)::int
             - $1 AS n`,
          [last],
        )
      ).rows[0].n as number;

    const at = new Date();
    let recomputedMidway = false;
    for (let step = 0; (await eventsSince()) < 10_500; step++) {
      const roll = random();
      if (roll < 0.3 || open.length === 0) {
        const order = pick(orders);
        const { id } = await lead(order.id, {
          phone: pick(phones),
          ip: random() < 0.1 ? undefined : pick(ips),
          createdAt: new Date(at.getTime() - (1 + random() * 90 * 24) * HOUR),
          assignAfterMs: null,
        });
        open.push({ id, stage: 'received' });
      } else if (roll < 0.72) {
        const index = Math.floor(random() * open.length);
        const item = open[index];
        if (item.stage === 'received') {
          await ctx.db.query(
            `UPDATE consultation_requests SET status = 'assigned', assigned_at = created_at + $2 * interval '1 ms'
             WHERE id = $1`,
            [item.id, Math.floor(random() * 5 * 60_000)],
          );
          await ctx.db.query(`INSERT INTO consultation_events (request_id, status) VALUES ($1, 'assigned')`, [
            item.id,
          ]);
          item.stage = 'assigned';
        } else {
          const close = item.stage === 'contacted' || random() < 0.3;
          await ctx.db.query(
            `UPDATE consultation_requests SET status = $3::consultation_status,
               first_contacted_at = coalesce(first_contacted_at, assigned_at + $2 * interval '1 ms'),
               closed_at = CASE WHEN $3::text = 'closed' THEN now() END
             WHERE id = $1`,
            [item.id, Math.floor(random() * 60 * HOUR), close ? 'closed' : 'contacted'],
          );
          await ctx.db.query(`INSERT INTO consultation_events (request_id, status) VALUES ($1, $2)`, [
            item.id,
            close ? 'closed' : 'contacted',
          ]);
          if (random() < 0.4) {
            await ctx.db.query(
              `INSERT INTO reviews (request_id, agency_id, country_code, phone_hash, fees, contract, training,
                 responsiveness)
               SELECT r.id, r.agency_id, o.country_code, r.phone_hash, $2, $3, $4, $5
               FROM consultation_requests r JOIN job_orders o ON o.id = r.job_order_id WHERE r.id = $1
               ON CONFLICT DO NOTHING`,
              [
                item.id,
                1 + Math.floor(random() * 5),
                1 + Math.floor(random() * 5),
                3,
                1 + Math.floor(random() * 5),
              ],
            );
          }
          if (close) open.splice(index, 1);
          else item.stage = 'contacted';
        }
      } else if (roll < 0.8) {
        await ctx.db.query(
          `INSERT INTO departure_reports (agency_id, month, country_code, total, women)
           VALUES ($1, $2, $3, $4, 0)
           ON CONFLICT (agency_id, month, country_code) DO UPDATE SET total = EXCLUDED.total`,
          [
            pick(agencies),
            `2025-0${1 + Math.floor(random() * 6)}`,
            pick(countries),
            Math.floor(random() * 40),
          ],
        );
      } else if (roll < 0.93) {
        const order = pick(orders);
        const change = pick([
          `approved_headcount = ${Math.floor(random() * 60)}`,
          `registration_status = 'approved'`,
          `registration_status = 'rejected', publication_status = 'draft'`,
          `publication_status = 'published', registration_status = 'approved'`,
          `publication_status = 'closed'`,
          `publication_status = 'taken_down'`,
          `publication_status = 'published', registration_status = 'approved'`,
        ]);
        await ctx.db.query(`UPDATE job_orders SET ${change} WHERE id = $1`, [order.id]);
      } else if (roll < 0.96) {
        const order = pick(orders);
        const {
          rows: [flag],
        } = await ctx.db.query(
          `INSERT INTO flags (source, job_order_id, agency_id, code, fingerprint) VALUES ('report', $1, $2, 'SCAM', $3)
           RETURNING id`,
          [order.id, order.agencyId, `f-${step}`],
        );
        if (random() < 0.6) {
          await ctx.db.query(`UPDATE flags SET status = 'upheld', resolved_at = now() WHERE id = $1`, [
            flag.id,
          ]);
        }
      } else if (roll < 0.975) {
        await ctx.db.query(`UPDATE agencies SET license_status = $2 WHERE id = $1`, [
          pick(agencies),
          pick(['active', 'active', 'suspended', 'revoked']),
        ]);
      } else if (roll < 0.98) {
        const agencyId = pick(agencies);
        orders.push({ id: await createJobOrder(ctx.db, { agencyId, country: pick(countries) }), agencyId });
      } else {
        // The worker folding as it goes, in batches of any size, now and then.
        await ranking.foldBatch(1 + Math.floor(random() * 1500), at);
        if (!recomputedMidway && (await eventsSince()) > 5000) {
          // A full recompute with events still queued: it must consume exactly those it already reflects.
          await ranking.recomputeAll(at);
          recomputedMidway = true;
        }
      }
    }
    expect(recomputedMidway).toBe(true);

    await ranking.foldPending(() => at);
    expect(await ranking.pendingEvents()).toBe(0);
    await ranking.rescore(at);
    const tables = ['ranking_contacts', 'ranking_counters', 'ranking_stats', 'ranking_scores'];
    const dump = async () => {
      const result: Record<string, string[]> = {};
      for (const table of tables) {
        result[table] = (await ctx.db.query(`SELECT t::text AS row FROM ${table} t ORDER BY 1`)).rows.map(
          (row: { row: string }) => row.row,
        );
      }
      return result;
    };
    const incremental = await dump();
    await ranking.recomputeAll(at);
    const full = await dump();
    for (const table of tables) expect(full[table]).toEqual(incremental[table]);

    // The history exercised what it should: capped addresses, repeat phones, reviews, incidents, countries.
    const [facts] = (
      await ctx.db.query(
        `SELECT (SELECT count(*) FROM ranking_contacts WHERE leads > 1)::int AS repeat_phones,
           (SELECT count(*) FROM ranking_stats WHERE people < (SELECT count(*) FROM ranking_contacts c
              WHERE c.agency_id = ranking_stats.agency_id AND ranking_stats.country_code = '') AND country_code = '')::int
              AS capped_agencies,
           (SELECT count(*) FROM reviews)::int AS reviews,
           (SELECT count(*) FROM ranking_incidents)::int AS incidents,
           (SELECT count(DISTINCT country_code) FROM ranking_scores)::int AS scopes,
           (SELECT count(*) FROM ranking_scores s JOIN agencies a ON a.id = s.agency_id
              WHERE a.license_status <> 'active')::int AS inactive_ranked`,
      )
    ).rows;
    expect(facts.repeat_phones).toBeGreaterThan(20);
    expect(facts.capped_agencies).toBeGreaterThan(0);
    expect(facts.reviews).toBeGreaterThan(100);
    expect(facts.incidents).toBeGreaterThan(20);
    expect(facts.scopes).toBe(countries.length + 1);
    expect(facts.inactive_ranked).toBe(0);
  }, 120_000);

  it('the worker folds new events on its own and GET /agencies/top follows', async () => {
    const agency = await createAgency(ctx.db, { name: 'Công ty Mới vào bảng' });
    const order = await createJobOrder(ctx.db, { agencyId: agency, country: 'KR' });
    await ctx.startWorker();
    try {
      const entry = await ctx.waitFor(
        async () => {
          const { body } = await request(ctx.http).get('/api/v1/agencies/top?country=KR&limit=100');
          return entryOf(body, agency);
        },
        10_000,
        'the new agency to be ranked in KR',
      );
      expect(entry.sampleSize.openOrders).toBe(1);
      await lead(order, { contactAfterMs: HOUR });
      await ctx.waitFor(
        async () => {
          const { body } = await request(ctx.http).get('/api/v1/agencies/top?country=KR&limit=100');
          return entryOf(body, agency)?.sampleSize.people === 1 ? true : undefined;
        },
        10_000,
        'the lead to show in the ranking',
      );
    } finally {
      await ctx.stopWorker();
    }
  });

  // Last: a second app in this process replaces passport's JWT strategy with one of another secret.
  it('rate-limited requests are never stored, so never counted', async () => {
    const env = { ...process.env };
    const limited = await TestContext.create({ env: { RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR: '2' } });
    try {
      const limitedAgency = await createAgency(limited.db);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const jobOrderId = await createJobOrder(limited.db, {
          agencyId: limitedAgency,
          birthYearTo: YEAR - 18,
        });
        const response = await request(limited.http).post('/api/v1/consultations').send({
          jobOrderId,
          fullName: 'Trần Văn Lặp',
          phone: '0987000222',
          province: 'Nghệ An',
          birthYear: 2000,
          consent: true,
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([202, 202, 429, 429]);
      const { rows } = await limited.db.query(
        `SELECT count(*)::int AS n FROM consultation_requests WHERE agency_id = $1`,
        [limitedAgency],
      );
      expect(rows[0].n).toBe(2);
    } finally {
      await limited.close();
      // The context pointed this process's environment at its own database.
      Object.assign(process.env, env);
    }
  });
});

/** A small deterministic generator, so a failing history can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
