import { ProblemException, ProblemFilter } from '@app/core';
import { ArgumentsHost } from '@nestjs/common';

import { assessOrder, ExchangeRates, legalCaps, suspiciousWording } from './compliance.engine';
import { defineViolationMessages, violationsProblem } from './compliance.messages';
import { ComplianceOrder, ComplianceRule, RULES } from './compliance.rules';
import {
  BASE_ORDER,
  CASE_RATES,
  CURRENCY_WITHOUT_RATE,
  DEPOSIT_CASES,
  MINIMUM_SALARY_CASES,
  NO_DEPOSIT_CASES,
  NO_SERVICE_FEE_CASES,
  SERVICE_FEE_CASES,
} from './testing/cap-cases';

const NOW = new Date('2026-11-23T00:00:00Z');
const RATES: ExchangeRates = new Map(Object.entries(CASE_RATES));

/** A publishable order; each case changes what it tests. */
function order(overrides: Partial<ComplianceOrder>): ComplianceOrder {
  return { ...BASE_ORDER, texts: { title: 'Tuyển 10 nam chế biến thực phẩm tại Gunma' }, ...overrides };
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
    it.each(SERVICE_FEE_CASES)('$market', ({ overrides, salaryVnd, tenths }) => {
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

    it.each(NO_SERVICE_FEE_CASES)('%s: no service fee at all', (_, overrides) => {
      expect(codes(order(overrides))).toEqual([]);
      expect(codes(order({ ...overrides, serviceFeeVnd: 1 }))).toEqual(['FEE_OVER_CAP']);
    });
  });

  it('allows no brokerage fee (rule 6)', () => {
    expect(codes(order({ brokerageFeeVnd: 0 }))).toEqual([]);
    expect(codes(order({ brokerageFeeVnd: 1 }))).toEqual(['BROKERAGE_FEE_NOT_ALLOWED']);
  });

  describe('deposit caps (rule 7)', () => {
    it.each(DEPOSIT_CASES)('%s', (_, overrides, cap) => {
      const atCap = assessOrder(order({ ...overrides, depositVnd: cap }), RATES, NOW);
      expect(atCap.caps.depositVnd).toBe(cap);
      expect(atCap.violations).toEqual([]);
      expect(codes(order({ ...overrides, depositVnd: cap + 1 }))).toEqual(['DEPOSIT_OVER_CAP']);
    });

    it.each(NO_DEPOSIT_CASES)('%s: no deposit at all', (_, overrides) => {
      expect(codes(order({ ...overrides, depositVnd: 0 }))).toEqual([]);
      expect(codes(order({ ...overrides, depositVnd: 1 }))).toEqual(['DEPOSIT_OVER_CAP']);
    });
  });

  describe('minimum base salary (rule 8)', () => {
    it.each(MINIMUM_SALARY_CASES)(
      '$market: $least passes, $below fails',
      ({ overrides, minimumUsd, least, below }) => {
        const atMinimum = assessOrder(order({ ...overrides, salaryAmount: least }), RATES, NOW);
        expect(atMinimum.caps.minimumSalaryUsd).toBe(minimumUsd);
        expect(atMinimum.violations).toEqual([]);
        expect(codes(order({ ...overrides, salaryAmount: below }))).toEqual(['SALARY_BELOW_MINIMUM']);
      },
    );

    it('refuses to judge a salary in a currency without a configured rate', () => {
      expect(codes(order({ salaryCurrency: CURRENCY_WITHOUT_RATE, salaryAmount: '4000' }))).toEqual([
        'EXCHANGE_RATE_MISSING',
      ]);
    });
  });

  describe('the caps of a case (GET /compliance/caps)', () => {
    const every: [string, Partial<ComplianceOrder>][] = [
      ...SERVICE_FEE_CASES.map(({ market, overrides }): [string, Partial<ComplianceOrder>] => [
        market,
        overrides,
      ]),
      ...NO_SERVICE_FEE_CASES,
      ...DEPOSIT_CASES.map(([market, overrides]): [string, Partial<ComplianceOrder>] => [market, overrides]),
      ...NO_DEPOSIT_CASES,
      ...MINIMUM_SALARY_CASES.map(({ market, overrides, least }): [string, Partial<ComplianceOrder>] => [
        market,
        { ...overrides, salaryAmount: least },
      ]),
    ];

    it.each(every)('%s: the same caps as the publish check', (_, overrides) => {
      const subject = order(overrides);
      expect(legalCaps(subject, RATES).caps).toEqual(assessOrder(subject, RATES, NOW).caps);
    });

    it.each(MINIMUM_SALARY_CASES)(
      '$market: the least salary in its currency is $least',
      ({ overrides, least, minimumUsd }) => {
        const caps = legalCaps(order({ ...overrides, salaryAmount: least }), RATES);
        expect(caps.minimumSalaryInCurrency).toBe(least);
        expect(caps.minimumSalaryVnd).toBe(minimumUsd * 25_400);
      },
    );

    it('names the rows of the tables and their legal sources', () => {
      const caps = legalCaps(order({ programCode: 'jp_engineer' }), RATES);
      expect(caps.serviceFee).toMatchObject({
        id: 'jp_high_skilled',
        reference: expect.stringContaining('Điều 5'),
      });
      expect(caps.deposit).toMatchObject({ id: 'japan', capVnd: 0 });
      expect(caps.minimumSalary).toBeUndefined();
      expect(caps.minimumSalaryInCurrency).toBeNull();
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
