import { ProblemException, ProblemFilter } from '@app/core';
import { ArgumentsHost } from '@nestjs/common';

import { assessOrder, ExchangeRates, suspiciousWording } from './compliance.engine';
import { defineViolationMessages, violationsProblem } from './compliance.messages';
import { ComplianceOrder, ComplianceRule, RULES } from './compliance.rules';

const NOW = new Date('2026-11-23T00:00:00Z');
const RATES: ExchangeRates = new Map([
  ['JPY', '170.0000'],
  ['TWD', '800.0000'],
  ['KRW', '18.5000'],
  ['EUR', '27500.0000'],
  ['USD', '25400.0000'],
]);

/** A publishable order; each case changes what it tests. */
function order(overrides: Partial<ComplianceOrder>): ComplianceOrder {
  return {
    countryCode: 'JP',
    countryRegion: 'east_asia',
    programCode: 'jp_technical_intern',
    industryCode: 'food_processing',
    contractMonths: 36,
    salaryAmount: '180000',
    salaryCurrency: 'JPY',
    serviceFeeVnd: 0,
    brokerageFeeVnd: 0,
    depositVnd: 0,
    openings: 10,
    approvedHeadcount: 10,
    registrationStatus: 'approved',
    birthYearFrom: 1990,
    birthYearTo: 2006,
    agencyIsPublicSendingCentre: false,
    texts: { title: 'Tuyển 10 nam chế biến thực phẩm tại Gunma' },
    ...overrides,
  };
}

const codes = (o: ComplianceOrder) => assessOrder(o, RATES, NOW).violations.map((v) => v.code);

/** The service-fee cap by hand: tenths of a month of base salary, salary converted at the configured rate. */
function feeCap(salaryVnd: number, tenths: number): number {
  return Math.floor((salaryVnd * tenths) / 10);
}

describe('compliance engine', () => {
  it('passes an order that keeps every rule', () => {
    const result = assessOrder(order({}), RATES, NOW);
    expect(result.violations).toEqual([]);
    expect(result.withinCaps).toBe(true);
    expect(result.flags).toEqual([]);
  });

  describe('service-fee caps (rule 5): at the cap passes, one đồng over fails', () => {
    // salary VND = amount × rate; cap = months × salary, months = min(per-12 rate × contract / 12, ceiling)
    const cases: {
      market: string;
      overrides: Partial<ComplianceOrder>;
      salaryVnd: number;
      tenths: number;
    }[] = [
      {
        market: 'Japan technical intern, 36 months: 3 months (general rule, ceiling)',
        overrides: {},
        salaryVnd: 180_000 * 170,
        tenths: 30,
      },
      {
        market: 'Japan technical intern, 12 months: 1 month',
        overrides: { contractMonths: 12 },
        salaryVnd: 180_000 * 170,
        tenths: 10,
      },
      {
        market: 'Japan specified skilled worker, 60 months: still 3 months',
        overrides: { programCode: 'jp_specified_skilled', contractMonths: 60, salaryAmount: '210000' },
        salaryVnd: 210_000 * 170,
        tenths: 30,
      },
      {
        market: 'Japan engineer (high-skilled), 36 months: 0.7 × 3 = 2.1, ceiling 2',
        overrides: { programCode: 'jp_engineer', salaryAmount: '250000' },
        salaryVnd: 250_000 * 170,
        tenths: 20,
      },
      {
        market: 'Taiwan home caregiver, 36 months: 0.4 × 3 = 1.2, ceiling 1',
        overrides: {
          countryCode: 'TW',
          programCode: 'tw_home_caregiver',
          industryCode: 'home_caregiving',
          salaryAmount: '20000',
          salaryCurrency: 'TWD',
        },
        salaryVnd: 20_000 * 800,
        tenths: 10,
      },
      {
        market: 'Taiwan home caregiver, 24 months: 0.4 × 2 = 0.8',
        overrides: {
          countryCode: 'TW',
          programCode: 'tw_home_caregiver',
          industryCode: 'home_caregiving',
          contractMonths: 24,
          salaryAmount: '20000',
          salaryCurrency: 'TWD',
        },
        salaryVnd: 20_000 * 800,
        tenths: 8,
      },
      {
        market: 'Taiwan hospital caregiver, 24 months: 0.7 × 2 = 1.4',
        overrides: {
          countryCode: 'TW',
          programCode: 'tw_caregiver_institution',
          industryCode: 'caregiving',
          contractMonths: 24,
          salaryAmount: '27470',
          salaryCurrency: 'TWD',
        },
        salaryVnd: 27_470 * 800,
        tenths: 14,
      },
      {
        market: 'Korea near-shore fishing, 36 months: 0.7 × 3 = 2.1, ceiling 2',
        overrides: {
          countryCode: 'KR',
          programCode: 'kr_fishing',
          industryCode: 'fishing',
          salaryAmount: '2060740',
          salaryCurrency: 'KRW',
        },
        salaryVnd: 38_123_690, // 2,060,740 KRW × 18.5
        tenths: 20,
      },
      {
        market: 'Hungary (Europe), 24 months: 2 months',
        overrides: {
          countryCode: 'HU',
          countryRegion: 'europe',
          programCode: 'eu_work_permit',
          contractMonths: 24,
          salaryAmount: '700',
          salaryCurrency: 'EUR',
        },
        salaryVnd: 700 * 27_500,
        tenths: 20,
      },
      {
        market: 'ship crew, 48 months: 1.5 × 4 = 6, no ceiling',
        overrides: {
          countryCode: 'KR',
          programCode: 'sea_crew',
          industryCode: 'fishing',
          contractMonths: 48,
        },
        salaryVnd: 180_000 * 170,
        tenths: 60,
      },
    ];

    it.each(cases)('$market', ({ overrides, salaryVnd, tenths }) => {
      const cap = feeCap(salaryVnd, tenths);
      const atCap = assessOrder(order({ ...overrides, serviceFeeVnd: cap }), RATES, NOW);
      expect(atCap.caps.serviceFeeVnd).toBe(cap);
      expect(atCap.violations.map((v) => v.code)).not.toContain('FEE_OVER_CAP');

      const over = assessOrder(order({ ...overrides, serviceFeeVnd: cap + 1 }), RATES, NOW);
      expect(over.violations).toContainEqual(
        expect.objectContaining({ code: 'FEE_OVER_CAP', rule: 5, limit: cap, actual: cap + 1 }),
      );
      expect(over.withinCaps).toBe(false);
    });

    it.each([
      ['Japan technical intern stage 3', { programCode: 'jp_technical_intern_3' }],
      [
        'domestic work in Malaysia',
        { countryCode: 'MY', countryRegion: 'southeast_asia', industryCode: 'home_caregiving' },
      ],
      [
        'agriculture in Australia',
        { countryCode: 'AU', countryRegion: 'oceania', industryCode: 'agriculture' },
      ],
    ] as [string, Partial<ComplianceOrder>][])('%s: no service fee at all', (_, overrides) => {
      expect(codes(order({ ...overrides, salaryCurrency: 'USD', salaryAmount: '1000' }))).toEqual([]);
      expect(
        codes(order({ ...overrides, salaryCurrency: 'USD', salaryAmount: '1000', serviceFeeVnd: 1 })),
      ).toEqual(['FEE_OVER_CAP']);
    });
  });

  it('allows no brokerage fee (rule 6)', () => {
    expect(codes(order({ brokerageFeeVnd: 0 }))).toEqual([]);
    expect(codes(order({ brokerageFeeVnd: 1 }))).toEqual(['BROKERAGE_FEE_NOT_ALLOWED']);
  });

  describe('deposit caps (rule 7)', () => {
    it.each([
      [
        'Taiwan: 12,000,000 đồng',
        { countryCode: 'TW', programCode: 'tw_worker', salaryCurrency: 'TWD', salaryAmount: '27470' },
        12_000_000,
      ],
      [
        'Korea: 36,000,000 đồng',
        { countryCode: 'KR', programCode: 'kr_e7', salaryCurrency: 'KRW', salaryAmount: '2060740' },
        36_000_000,
      ],
      [
        'Hungary: one economy airfare to Vietnam, 30,000,000 đồng',
        {
          countryCode: 'HU',
          countryRegion: 'europe',
          programCode: 'eu_work_permit',
          salaryCurrency: 'EUR',
          salaryAmount: '700',
        },
        30_000_000,
      ],
    ] as [string, Partial<ComplianceOrder>, number][])('%s', (_, overrides, cap) => {
      const atCap = assessOrder(order({ ...overrides, depositVnd: cap }), RATES, NOW);
      expect(atCap.caps.depositVnd).toBe(cap);
      expect(atCap.violations).toEqual([]);
      expect(codes(order({ ...overrides, depositVnd: cap + 1 }))).toEqual(['DEPOSIT_OVER_CAP']);
    });

    it.each([
      ['Japan', {}],
      [
        'the United States',
        { countryCode: 'US', countryRegion: 'americas', salaryCurrency: 'USD', salaryAmount: '2000' },
      ],
      ['a ship crew', { countryCode: 'KR', programCode: 'sea_crew', industryCode: 'fishing' }],
    ] as [string, Partial<ComplianceOrder>][])('%s: no deposit at all', (_, overrides) => {
      expect(codes(order({ ...overrides, depositVnd: 0 }))).toEqual([]);
      expect(codes(order({ ...overrides, depositVnd: 1 }))).toEqual(['DEPOSIT_OVER_CAP']);
    });
  });

  describe('minimum base salary (rule 8)', () => {
    const europe = (salaryAmount: string, salaryCurrency: string, contractMonths: number) =>
      order({
        countryCode: 'PL',
        countryRegion: 'europe',
        programCode: 'eu_work_permit',
        salaryAmount,
        salaryCurrency,
        contractMonths,
      });

    it('Europe, a year or more: 600 USD passes, one cent less fails', () => {
      expect(codes(europe('600', 'USD', 24))).toEqual([]);
      expect(codes(europe('599.99', 'USD', 24))).toEqual(['SALARY_BELOW_MINIMUM']);
    });

    it('Europe, 6–12 months: 800 USD', () => {
      expect(codes(europe('800', 'USD', 9))).toEqual([]);
      expect(codes(europe('799.99', 'USD', 9))).toEqual(['SALARY_BELOW_MINIMUM']);
    });

    it('compares a euro salary through the configured rates', () => {
      // 600 USD = 600 × 25,400 VND = 15,240,000 VND = 554.1818… EUR at 27,500 VND.
      expect(codes(europe('554.19', 'EUR', 24))).toEqual([]);
      expect(codes(europe('554.18', 'EUR', 24))).toEqual(['SALARY_BELOW_MINIMUM']);
    });

    it('the Americas 500 USD, West Asia 400 USD', () => {
      const americas = order({
        countryCode: 'US',
        countryRegion: 'americas',
        salaryCurrency: 'USD',
        salaryAmount: '500',
      });
      expect(codes(americas)).toEqual([]);
      expect(codes({ ...americas, salaryAmount: '499.99' })).toEqual(['SALARY_BELOW_MINIMUM']);
      const westAsia = order({
        countryCode: 'SA',
        countryRegion: 'west_asia',
        salaryCurrency: 'USD',
        salaryAmount: '400',
      });
      expect(codes(westAsia)).toEqual([]);
      expect(codes({ ...westAsia, salaryAmount: '399.99' })).toEqual(['SALARY_BELOW_MINIMUM']);
    });

    it('refuses to judge a salary in a currency without a configured rate', () => {
      expect(codes(order({ salaryCurrency: 'CHF', salaryAmount: '4000' }))).toEqual([
        'EXCHANGE_RATE_MISSING',
      ]);
    });
  });

  it('publishes only source_preparation or approved registrations (rule 2)', () => {
    expect(codes(order({ registrationStatus: 'source_preparation', approvedHeadcount: null }))).toEqual([]);
    for (const status of ['draft', 'submitted', 'rejected']) {
      expect(codes(order({ registrationStatus: status }))).toEqual(['REGISTRATION_NOT_PUBLISHABLE']);
    }
  });

  it('keeps openings within the approved headcount (rule 3)', () => {
    expect(codes(order({ openings: 10, approvedHeadcount: 10 }))).toEqual([]);
    expect(codes(order({ openings: 11, approvedHeadcount: 10 }))).toEqual([
      'OPENINGS_OVER_APPROVED_HEADCOUNT',
    ]);
  });

  it('refuses a birth-year range that admits anyone under 18 (rule 4)', () => {
    expect(codes(order({ birthYearTo: 2008 }))).toEqual([]);
    expect(codes(order({ birthYearTo: 2009 }))).toEqual(['AGE_RANGE_ADMITS_MINORS']);
  });

  it('takes Korea EPS orders only from the public sending centre (rule 10)', () => {
    const eps = { countryCode: 'KR', programCode: 'kr_eps', salaryCurrency: 'KRW', salaryAmount: '2060740' };
    expect(codes(order({ ...eps, agencyIsPublicSendingCentre: true }))).toEqual([]);
    expect(codes(order(eps))).toEqual(['EPS_ONLY_PUBLIC_CENTRE']);
  });

  it('lists every violated rule at once', () => {
    expect(
      codes(
        order({
          registrationStatus: 'submitted',
          birthYearTo: 2010,
          serviceFeeVnd: 500_000_000,
          brokerageFeeVnd: 5_000_000,
          depositVnd: 10_000_000,
        }),
      ).sort(),
    ).toEqual(
      [
        'AGE_RANGE_ADMITS_MINORS',
        'BROKERAGE_FEE_NOT_ALLOWED',
        'DEPOSIT_OVER_CAP',
        'REGISTRATION_NOT_PUBLISHABLE',
        'FEE_OVER_CAP',
      ].sort(),
    );
  });

  describe('suspicious wording (rule 9)', () => {
    it('flags forbidden promises with or without diacritics, naming the field', () => {
      expect(
        suspiciousWording({
          title: 'Đơn hàng BAO ĐỖ 100%, suất nội bộ',
          description: 'Khong can hoc tieng, nop tien cho anh Tuan',
        }).map(({ field, phrase }) => `${field}:${phrase}`),
      ).toEqual([
        'title:bao do',
        'title:suat noi bo',
        'description:khong can hoc tieng',
        'description:nop tien cho anh',
      ]);
    });

    it('does not flag ordinary words that merely contain a phrase', () => {
      expect(suspiciousWording({ title: 'Đóng gói bao bì, bảo dưỡng máy' })).toEqual([]);
    });

    it('flags but does not block: wording is not a violation', () => {
      const result = assessOrder(order({ texts: { title: 'Bao đỗ visa' } }), RATES, NOW);
      expect(result.violations).toEqual([]);
      expect(result.flags).toEqual([
        { code: 'SUSPICIOUS_WORDING', rule: 9, field: 'title', phrase: 'bao do' },
      ]);
    });
  });

  describe('a new rule', () => {
    // What a new rule needs, all of it in this library: its entry in the rule book and its messages.
    const CONTRACT_OVER_FIVE_YEARS: ComplianceRule = {
      rule: 11,
      reference: 'Quy tắc thử',
      field: 'contractMonths',
      cap: false,
      judge: (order) => (order.contractMonths > 60 ? { limit: 60, actual: order.contractMonths } : undefined),
    };
    const BOOK = { ...RULES, CONTRACT_OVER_FIVE_YEARS };
    defineViolationMessages(
      { CONTRACT_OVER_FIVE_YEARS },
      {
        CONTRACT_OVER_FIVE_YEARS: {
          problem: {
            vi: { title: 'Hợp đồng quá dài', detail: 'Hợp đồng dài hơn 60 tháng.' },
            en: { title: 'Contract too long', detail: 'The contract is longer than 60 months.' },
          },
          field: { vi: 'Quá 60 tháng', en: 'Over 60 months' },
        },
      },
    );

    /** The problem document the API answers with, through core's filter. */
    function rendered(problem: ProblemException, lang: string): Record<string, unknown> {
      let body: Record<string, unknown> = {};
      const reply = { status: () => reply, headers: () => reply, send: (sent: typeof body) => (body = sent) };
      const http = { getRequest: () => ({ headers: { 'accept-language': lang } }), getResponse: () => reply };
      new ProblemFilter().catch(problem, { switchToHttp: () => http } as unknown as ArgumentsHost);
      return body;
    }

    it('is judged with the rules of the law and listed after them', () => {
      const long = order({ contractMonths: 72, brokerageFeeVnd: 1 });
      expect(assessOrder(long, RATES, NOW).violations.map((v) => v.code)).toEqual([
        'BROKERAGE_FEE_NOT_ALLOWED',
      ]);
      const { violations, withinCaps } = assessOrder(long, RATES, NOW, BOOK);
      expect(violations).toEqual([
        expect.objectContaining({ code: 'BROKERAGE_FEE_NOT_ALLOWED' }),
        { code: 'CONTRACT_OVER_FIVE_YEARS', rule: 11, reference: 'Quy tắc thử', limit: 60, actual: 72 },
      ]);
      expect(withinCaps).toBe(false);
      expect(assessOrder(order({ contractMonths: 72 }), RATES, NOW, BOOK).withinCaps).toBe(true);
      expect(assessOrder(order({ contractMonths: 60 }), RATES, NOW, BOOK).violations).toEqual([]);
    });

    it('refuses publishing with its code, its field and its messages', () => {
      const alone = assessOrder(order({ contractMonths: 72 }), RATES, NOW, BOOK).violations;
      expect(rendered(violationsProblem(alone, BOOK), 'vi')).toEqual({
        violations: alone,
        type: 'urn:xkld:problem:contract-over-five-years',
        title: 'Hợp đồng quá dài',
        status: 422,
        detail: 'Hợp đồng dài hơn 60 tháng.',
        code: 'CONTRACT_OVER_FIVE_YEARS',
        errors: [{ field: 'contractMonths', message: 'Quá 60 tháng' }],
      });

      const both = assessOrder(order({ contractMonths: 72, depositVnd: 1 }), RATES, NOW, BOOK).violations;
      expect(rendered(violationsProblem(both, BOOK), 'en')).toMatchObject({
        code: 'DEPOSIT_OVER_CAP',
        title: 'Deposit over the cap',
        errors: [
          { field: 'costs.depositVnd', message: 'Over the deposit cap' },
          { field: 'contractMonths', message: 'Over 60 months' },
        ],
      });
    });

    it('must come with its messages', () => {
      expect(() => defineViolationMessages(BOOK, {} as never)).toThrow(
        /without messages: REGISTRATION_NOT_PUBLISHABLE, .*CONTRACT_OVER_FIVE_YEARS/,
      );
    });
  });
});
