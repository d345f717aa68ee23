import request from 'supertest';

import {
  BASE_ORDER,
  CASE_RATES,
  CaseOverrides,
  CURRENCY_WITHOUT_RATE,
  DEPOSIT_CASES,
  MINIMUM_SALARY_CASES,
  NO_DEPOSIT_CASES,
  NO_SERVICE_FEE_CASES,
  SERVICE_FEE_CASES,
} from '../libs/compliance/src/testing/cap-cases';
import { TestContext } from './helpers/context';
import { createAgency, createUser } from './helpers/factories';

interface Costs {
  serviceFeeVnd?: number;
  depositVnd?: number;
  brokerageVnd?: number;
}

/**
 * GET /compliance/caps against the publish check, on every case the engine's unit tests judge the money rules
 * on (libs/compliance/src/testing/cap-cases.ts): for each, an order with its fees at the endpoint's caps
 * publishes, and one đồng over any of them (one cent under its minimum salary) is refused with that rule.
 */
describe('the legal caps for any case', () => {
  let ctx: TestContext;
  let agencyToken: string;

  const caseOf = (overrides: CaseOverrides) => ({ ...BASE_ORDER, ...overrides });
  const caps = (overrides: CaseOverrides, lang = 'vi') => {
    const of = caseOf(overrides);
    return request(ctx.http).get('/api/v1/compliance/caps').set('Accept-Language', lang).query({
      country: of.countryCode,
      program: of.programCode,
      industry: of.industryCode,
      contractMonths: of.contractMonths,
      salaryAmount: of.salaryAmount,
      salaryCurrency: of.salaryCurrency,
    });
  };
  /** Creates the case as an agency would, registers it (as the authority would), and tries to publish it. */
  const publish = async (overrides: CaseOverrides, costs: Costs) => {
    const of = caseOf(overrides);
    const { body: order } = await ctx
      .as(agencyToken)
      .post('/agency/job-orders', {
        title: 'Đơn hàng kiểm tra mức trần',
        occupation: 'Công nhân',
        workLocation: 'Thành phố thử',
        country: of.countryCode,
        industry: of.industryCode,
        program: of.programCode,
        openings: of.openings,
        birthYearFrom: of.birthYearFrom,
        birthYearTo: of.birthYearTo,
        salary: { amount: Number(of.salaryAmount), currency: of.salaryCurrency },
        contractMonths: of.contractMonths,
        costs,
      })
      .expect(201);
    await ctx.db.query(
      `UPDATE job_orders SET registration_status = 'approved', registration_number = 'KT-1', approved_headcount = $2
       WHERE id = $1`,
      [order.id, of.approvedHeadcount],
    );
    return ctx.as(agencyToken).post(`/agency/job-orders/${order.id}/publish`);
  };
  const violated = (response: request.Response) =>
    (response.body.violations ?? []).map((violation: { code: string; limit?: unknown }) => violation);

  /** The endpoint's caps hold for publishing: at them it passes, one đồng over each it fails. */
  async function agrees(overrides: CaseOverrides): Promise<{ serviceFee: number; deposit: number }> {
    const { body } = await caps(overrides).expect(200);
    const atCaps = { serviceFeeVnd: body.serviceFee.maxVnd, depositVnd: body.deposit.maxVnd };
    const passed = await publish(overrides, atCaps);
    expect({ status: passed.status, violations: violated(passed) }).toEqual({ status: 200, violations: [] });
    expect(passed.body.publicationStatus).toBe('published');

    const feeOver = await publish(overrides, { ...atCaps, serviceFeeVnd: atCaps.serviceFeeVnd + 1 });
    expect(feeOver.status).toBe(422);
    expect(violated(feeOver)).toEqual([
      expect.objectContaining({ code: 'FEE_OVER_CAP', limit: atCaps.serviceFeeVnd }),
    ]);
    const depositOver = await publish(overrides, { ...atCaps, depositVnd: atCaps.depositVnd + 1 });
    expect(depositOver.status).toBe(422);
    expect(violated(depositOver)).toEqual([
      expect.objectContaining({ code: 'DEPOSIT_OVER_CAP', limit: atCaps.depositVnd }),
    ]);
    expect(body.brokerage.maxVnd).toBe(0);
    const brokerage = await publish(overrides, { ...atCaps, brokerageVnd: body.brokerage.maxVnd + 1 });
    expect(brokerage.status).toBe(422);
    expect(violated(brokerage)).toEqual([expect.objectContaining({ code: 'BROKERAGE_FEE_NOT_ALLOWED' })]);
    return { serviceFee: atCaps.serviceFeeVnd, deposit: atCaps.depositVnd };
  }

  beforeAll(async () => {
    ctx = await TestContext.create();
    await ctx.db.query(`DELETE FROM exchange_rates WHERE currency = $1`, [CURRENCY_WITHOUT_RATE]);
    const admin = await createUser(ctx.db, { role: 'admin' });
    const adminToken = await ctx.login(admin.email, admin.password);
    // The rates the unit tests judge the cases at, set as an operator sets them.
    await ctx
      .as(adminToken)
      .put('/admin/exchange-rates', {
        rates: Object.fromEntries(
          Object.entries(CASE_RATES).map(([currency, rate]) => [currency, Number(rate)]),
        ),
      })
      .expect(200);
    const agency = await createAgency(ctx.db);
    const staff = await createUser(ctx.db, { role: 'agency_admin', agencyId: agency });
    agencyToken = await ctx.login(staff.email, staff.password);
  });

  afterAll(() => ctx.close());

  describe('agrees with the publish check on every case of the compliance tests', () => {
    it('uses the reference data’s regions, as the cases assume', async () => {
      const { body: countries } = await request(ctx.http).get('/api/v1/reference/countries').expect(200);
      const regions = new Map(
        (countries.items ?? countries).map((country: { code: string; region: string }) => [
          country.code,
          country.region,
        ]),
      );
      const every = [
        ...SERVICE_FEE_CASES.map(({ overrides }) => overrides),
        ...NO_SERVICE_FEE_CASES.map(([, overrides]) => overrides),
        ...DEPOSIT_CASES.map(([, overrides]) => overrides),
        ...NO_DEPOSIT_CASES.map(([, overrides]) => overrides),
        ...MINIMUM_SALARY_CASES.map(({ overrides }) => overrides),
      ];
      for (const overrides of every) {
        const of = caseOf(overrides);
        expect([of.countryCode, regions.get(of.countryCode)]).toEqual([of.countryCode, of.countryRegion]);
      }
    });

    it.each(SERVICE_FEE_CASES)('service fee: $market', async ({ overrides, salaryVnd, tenths }) => {
      const { serviceFee } = await agrees(overrides);
      expect(serviceFee).toBe(Math.floor((salaryVnd * tenths) / 10));
    });

    it.each(NO_SERVICE_FEE_CASES)('no service fee: %s', async (_, overrides) => {
      expect((await agrees(overrides)).serviceFee).toBe(0);
    });

    it.each(DEPOSIT_CASES)('deposit: %s', async (_, overrides, capVnd) => {
      expect((await agrees(overrides)).deposit).toBe(capVnd);
    });

    it.each(NO_DEPOSIT_CASES)('no deposit: %s', async (_, overrides) => {
      expect((await agrees(overrides)).deposit).toBe(0);
    });

    it.each(MINIMUM_SALARY_CASES)(
      'minimum salary: $market',
      async ({ overrides, minimumUsd, least, below }) => {
        const { body } = await caps({ ...overrides, salaryAmount: least }).expect(200);
        expect(body.minimumSalary).toMatchObject({ usd: minimumUsd, inSalaryCurrency: Number(least) });
        const atLeast = await publish({ ...overrides, salaryAmount: least }, {});
        expect({ status: atLeast.status, violations: violated(atLeast) }).toEqual({
          status: 200,
          violations: [],
        });
        const under = await publish({ ...overrides, salaryAmount: below }, {});
        expect(under.status).toBe(422);
        expect(violated(under)).toEqual([expect.objectContaining({ code: 'SALARY_BELOW_MINIMUM' })]);
        // The endpoint says the same of the lower salary: its least acceptable salary is still `least`.
        const lower = await caps({ ...overrides, salaryAmount: below }).expect(200);
        expect(lower.body.minimumSalary.inSalaryCurrency).toBe(Number(least));
      },
    );

    it('refuses a currency without a configured rate, as creating and publishing an order does', async () => {
      const { body } = await caps({ salaryCurrency: CURRENCY_WITHOUT_RATE, salaryAmount: '4000' }).expect(
        422,
      );
      expect(body).toMatchObject({
        code: 'EXCHANGE_RATE_MISSING',
        errors: [{ field: 'salaryCurrency', message: expect.any(String) }],
      });
      const { body: refused } = await ctx
        .as(agencyToken)
        .post('/agency/job-orders', {
          title: 'Đơn hàng kiểm tra mức trần',
          occupation: 'Công nhân',
          workLocation: 'Zürich',
          country: 'CH',
          industry: 'manufacturing',
          program: 'general_contract',
          openings: 1,
          birthYearFrom: 1990,
          birthYearTo: 2000,
          salary: { amount: 4000, currency: CURRENCY_WITHOUT_RATE },
          contractMonths: 24,
        })
        .expect(400);
      expect(refused.errors).toEqual([{ field: 'salary.currency', message: expect.any(String) }]);
    });
  });

  describe('the answer', () => {
    it('gives each cap with its rule, its legal source and its words, in Vietnamese or English', async () => {
      const { body } = await caps({ programCode: 'jp_engineer', salaryAmount: '250000' }).expect(200);
      expect(body).toEqual({
        country: 'JP',
        program: 'jp_engineer',
        industry: 'food_processing',
        contractMonths: 36,
        salary: { amount: 250000, currency: 'JPY', vndPerUnit: 170, vnd: 42_500_000 },
        serviceFee: {
          maxVnd: 85_000_000,
          months: 2,
          rule: 'jp_high_skilled',
          reference: expect.stringContaining('Thông tư 21/2021/TT-BLĐTBXH'),
          scope: expect.stringContaining('Nhật Bản'),
          description: '0,7 tháng lương cơ bản cho mỗi 12 tháng hợp đồng, tối đa 2 tháng',
        },
        deposit: {
          maxVnd: 0,
          rule: 'japan',
          reference: expect.stringContaining('Điều 7'),
          scope: 'Nhật Bản',
          description: 'Không được thu tiền ký quỹ',
        },
        brokerage: {
          maxVnd: 0,
          rule: 'brokerage',
          reference: 'Luật 69/2020/QH14, Điều 7 khoản 8',
          scope: expect.any(String),
          description: 'Không được thu tiền môi giới của người lao động',
        },
        minimumSalary: null,
        industryMatters: false,
      });
      const { body: english } = await caps(
        {
          countryCode: 'HU',
          countryRegion: 'europe',
          programCode: 'eu_work_permit',
          salaryCurrency: 'EUR',
          salaryAmount: '700',
        },
        'en',
      ).expect(200);
      expect(english.serviceFee.description).toBe(
        '1 months of base salary per 12 months of contract, at most 3 months',
      );
      expect(english.deposit).toMatchObject({
        maxVnd: 30_000_000,
        rule: 'other_countries',
        description: 'At most one economy airfare back to Vietnam (counted as 30,000,000 VND)',
      });
      expect(english.minimumSalary).toMatchObject({ usd: 600, vnd: 15_240_000, inSalaryCurrency: 554.19 });
    });

    it('says when the industry would change the caps', async () => {
      const taiwan = {
        countryCode: 'TW',
        programCode: 'tw_worker',
        salaryCurrency: 'TWD',
        salaryAmount: '27470',
      };
      const { body: any } = await request(ctx.http)
        .get('/api/v1/compliance/caps')
        .query({
          country: 'TW',
          program: 'tw_worker',
          contractMonths: 36,
          salaryAmount: 27470,
          salaryCurrency: 'TWD',
        })
        .expect(200);
      expect(any).toMatchObject({ industry: null, industryMatters: true, serviceFee: { rule: 'general' } });
      const { body: farming } = await caps({ ...taiwan, industryCode: 'agriculture' }).expect(200);
      expect(farming.serviceFee).toMatchObject({ rule: 'tw_domestic_agriculture_fishing', months: 1 });
    });

    it('refuses what is not a case: 400 with the fields at fault', async () => {
      const base = {
        country: 'JP',
        program: 'jp_technical_intern',
        contractMonths: 36,
        salaryAmount: 180000,
        salaryCurrency: 'JPY',
      };
      const fieldsOf = async (query: Record<string, unknown>) => {
        const { body } = await request(ctx.http).get('/api/v1/compliance/caps').query(query).expect(400);
        expect(body.code).toBe('VALIDATION_FAILED');
        return [...new Set(body.errors.map((error: { field: string }) => error.field))];
      };
      expect(await fieldsOf({ ...base, country: 'XX' })).toEqual(['country']);
      expect(await fieldsOf({ ...base, program: 'tw_worker' })).toEqual(['program']);
      expect(await fieldsOf({ ...base, program: 'no_such_program' })).toEqual(['program']);
      expect(await fieldsOf({ ...base, industry: 'mining' })).toEqual(['industry']);
      expect(await fieldsOf({ ...base, contractMonths: 0 })).toEqual(['contractMonths']);
      expect(await fieldsOf({ ...base, contractMonths: 12.5 })).toEqual(['contractMonths']);
      expect(await fieldsOf({ ...base, salaryAmount: 'abc' })).toEqual(['salaryAmount']);
      expect(await fieldsOf({ ...base, salaryAmount: '100.001' })).toEqual(['salaryAmount']);
      expect(await fieldsOf({ ...base, salaryCurrency: 'yen!' })).toEqual(['salaryCurrency']);
      expect(await fieldsOf({ country: 'JP' })).toEqual([
        'program',
        'contractMonths',
        'salaryAmount',
        'salaryCurrency',
      ]);
      expect(await fieldsOf({ ...base, serviceFeeVnd: 1 })).toEqual(['serviceFeeVnd']);
    });
  });
});
