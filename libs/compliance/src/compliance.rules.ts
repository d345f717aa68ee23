import type { CountryRegion } from '@app/reference';

/**
 * The legal limits a job order is checked against, as data with their sources, so that a change in the
 * law is a change here and nowhere else. Sources: Law 69/2020/QH14, Decree 112/2021/ND-CP, Circular
 * 21/2021/TT-BLĐTBXH as amended by Circular 02/2024/TT-BLĐTBXH; docs/legal-rules.md explains each rule.
 */

export const LAW_69 = 'Luật 69/2020/QH14';
export const CIRCULAR_21 = 'Thông tư 21/2021/TT-BLĐTBXH (sửa đổi bởi Thông tư 02/2024/TT-BLĐTBXH)';

/** Registration states in which an order may be public (rule 2). */
export const PUBLISHABLE_REGISTRATIONS: readonly string[] = ['source_preparation', 'approved'];

export const MINIMUM_WORKER_AGE = 18;

/** What the engine needs to know about an order, its destination and its agency. */
export interface ComplianceOrder {
  countryCode: string;
  countryRegion: CountryRegion;
  programCode: string;
  industryCode: string;
  contractMonths: number;
  /** Base salary per month in `salaryCurrency`, as a decimal string ("180000", "650.50"). */
  salaryAmount: string;
  salaryCurrency: string;
  serviceFeeVnd: number;
  brokerageFeeVnd: number;
  depositVnd: number;
  openings: number;
  approvedHeadcount: number | null;
  registrationStatus: string;
  birthYearFrom: number;
  birthYearTo: number;
  agencyIsPublicSendingCentre: boolean;
  /** Free text checked for forbidden wording, by field name. */
  texts: Record<string, string>;
}

/** Which orders a row of a table applies to; an absent field matches everything. */
export interface OrderMatch {
  programs?: readonly string[];
  countries?: readonly string[];
  regions?: readonly CountryRegion[];
  industries?: readonly string[];
}

/**
 * Service-fee caps in months of base salary, in tenths of a month to keep the arithmetic exact: `per12`
 * months per 12 months of contract, at most `max` months (null: no ceiling). The first matching row wins,
 * so the special cases come before the general rule.
 */
export interface ServiceFeeCap {
  id: string;
  match: OrderMatch;
  per12Tenths: number;
  maxTenths: number | null;
  reference: string;
}

export const SERVICE_FEE_CAPS: readonly ServiceFeeCap[] = [
  {
    id: 'sea_crew',
    match: { programs: ['sea_crew'] },
    per12Tenths: 15,
    maxTenths: null,
    reference: `${CIRCULAR_21}, Điều 5 khoản 1`,
  },
  {
    id: 'jp_intern_stage_3',
    match: { programs: ['jp_technical_intern_3'] },
    per12Tenths: 0,
    maxTenths: 0,
    reference: `${CIRCULAR_21}, Điều 5 khoản 2`,
  },
  {
    id: 'domestic_work_asia',
    match: { regions: ['southeast_asia', 'west_asia'], industries: ['home_caregiving'] },
    per12Tenths: 0,
    maxTenths: 0,
    reference: `${CIRCULAR_21}, Điều 5 khoản 5`,
  },
  {
    id: 'australia_agriculture',
    match: { countries: ['AU'], industries: ['agriculture'] },
    per12Tenths: 0,
    maxTenths: 0,
    reference: `${CIRCULAR_21}, Điều 5 khoản 5`,
  },
  {
    id: 'jp_high_skilled',
    match: { programs: ['jp_engineer'] },
    per12Tenths: 7,
    maxTenths: 20,
    reference: `${CIRCULAR_21}, Điều 5 khoản 2`,
  },
  {
    id: 'tw_institution_caregiver',
    match: { programs: ['tw_caregiver_institution'] },
    per12Tenths: 7,
    maxTenths: 20,
    reference: `${CIRCULAR_21}, Điều 5 khoản 3`,
  },
  {
    id: 'tw_home_caregiver',
    match: { programs: ['tw_home_caregiver'] },
    per12Tenths: 4,
    maxTenths: 10,
    reference: `${CIRCULAR_21}, Điều 5 khoản 3`,
  },
  {
    id: 'tw_domestic_agriculture_fishing',
    match: { countries: ['TW'], industries: ['home_caregiving', 'agriculture', 'fishing'] },
    per12Tenths: 4,
    maxTenths: 10,
    reference: `${CIRCULAR_21}, Điều 5 khoản 3`,
  },
  {
    id: 'kr_near_shore_fishing',
    match: { programs: ['kr_fishing'] },
    per12Tenths: 7,
    maxTenths: 20,
    reference: `${CIRCULAR_21}, Điều 5 khoản 4`,
  },
  {
    id: 'kr_fishing_industry',
    match: { countries: ['KR'], industries: ['fishing'] },
    per12Tenths: 7,
    maxTenths: 20,
    reference: `${CIRCULAR_21}, Điều 5 khoản 4`,
  },
  {
    id: 'general',
    match: {},
    per12Tenths: 10,
    maxTenths: 30,
    reference: `${CIRCULAR_21}, Điều 5 khoản 1`,
  },
];

/**
 * Deposit caps in VND (0: no deposit may be taken). `airfare` rows cap the deposit at one economy airfare
 * to Vietnam, taken from ECONOMY_AIRFARE_TO_VIETNAM_VND rather than from the order, whose own airfare
 * figure the agency sets.
 */
export interface DepositCap {
  id: string;
  match: OrderMatch;
  capVnd: number | 'airfare';
  reference: string;
}

export const DEPOSIT_CAPS: readonly DepositCap[] = [
  { id: 'sea_crew', match: { programs: ['sea_crew'] }, capVnd: 0, reference: `${CIRCULAR_21}, Điều 7` },
  { id: 'taiwan', match: { countries: ['TW'] }, capVnd: 12_000_000, reference: `${CIRCULAR_21}, Điều 7` },
  { id: 'korea', match: { countries: ['KR'] }, capVnd: 36_000_000, reference: `${CIRCULAR_21}, Điều 7` },
  { id: 'japan', match: { countries: ['JP'] }, capVnd: 0, reference: `${CIRCULAR_21}, Điều 7` },
  {
    id: 'americas_southeast_west_asia',
    match: { regions: ['americas', 'southeast_asia', 'west_asia'] },
    capVnd: 0,
    reference: `${CIRCULAR_21}, Điều 7`,
  },
  { id: 'other_countries', match: {}, capVnd: 'airfare', reference: `${CIRCULAR_21}, Điều 7` },
];

/** Reference one-way economy fares to Vietnam used for the deposit cap, by region; update with the market. */
export const ECONOMY_AIRFARE_TO_VIETNAM_VND: Readonly<Record<CountryRegion, number>> = {
  east_asia: 12_000_000,
  southeast_asia: 8_000_000,
  europe: 30_000_000,
  americas: 35_000_000,
  west_asia: 20_000_000,
  oceania: 25_000_000,
  africa: 35_000_000,
};

/**
 * Minimum base salary in USD per month. `shortContractUsd` applies to contracts under 12 months (the
 * law's 6–12 month band; shorter contracts are held to it too), `usd` to a year or more.
 */
export interface MinimumSalary {
  regions: readonly CountryRegion[];
  usd: number;
  shortContractUsd: number;
  reference: string;
}

export const MINIMUM_SALARIES: readonly MinimumSalary[] = [
  { regions: ['europe'], usd: 600, shortContractUsd: 800, reference: `${CIRCULAR_21}, Điều 4` },
  { regions: ['americas'], usd: 500, shortContractUsd: 800, reference: `${CIRCULAR_21}, Điều 4` },
  { regions: ['west_asia'], usd: 400, shortContractUsd: 400, reference: `${CIRCULAR_21}, Điều 4` },
];

/** Korea EPS orders only from the public sending centre (rule 10). */
export const PUBLIC_CENTRE_PROGRAMS: readonly string[] = ['kr_eps'];

/**
 * Wording the law forbids or scams use (rule 9), accent-folded. A match raises a flag for a regulator; it
 * does not block publishing.
 */
export const SUSPICIOUS_PHRASES: readonly string[] = [
  'bao do',
  '100% do',
  'dam bao do',
  'cam ket do',
  'suat noi bo',
  'khong can hoc tieng',
  'khong can tieng',
  'chuyen khoan ca nhan',
  'tai khoan ca nhan',
  'nop tien cho anh',
  'nop tien cho chi',
  'dat coc tien mat',
  'coc tien mat',
  'ky quy tien mat',
  'ky quy bang tien mat',
];

/** The caps that apply to an order, from the tables above, whether or not the order keeps them. */
export interface ComplianceCaps {
  /** Null when the salary's currency has no configured rate. */
  serviceFeeVnd: number | null;
  serviceFeeMonths: number;
  serviceFeeRule: string;
  depositVnd: number;
  depositRule: string;
  brokerageFeeVnd: 0;
  minimumSalaryUsd: number | null;
}

/** What the engine works out once for every rule. */
export interface OrderFacts {
  now: Date;
  caps: ComplianceCaps;
  hasRate: (currency: string) => boolean;
  /** A decimal amount in VND at the configured rate, exactly (in 10⁻⁸ đồng); undefined without a rate. */
  exactVnd: (amount: string, currency: string) => bigint | undefined;
}

/** How an order breaks a rule: the limit and the order's value, where the rule has numbers. */
export interface Breach {
  limit?: number | string;
  actual?: number | string;
}

/**
 * One rule an order must keep to be published. A new rule is an entry in RULES and its messages in
 * compliance.texts.json, nothing else: the engine judges it, and a refused publish names its code and
 * points at its field.
 */
export interface ComplianceRule {
  /** Its number in docs/legal-rules.md. */
  rule: number;
  /** The legal source. */
  reference: string;
  /** The field of the order form (as the API names it) that a violation points at. */
  field: string;
  /** A limit on money, which counts against the order's `withinCaps`. */
  cap: boolean;
  /** Undefined when the order keeps the rule; otherwise how it breaks it. */
  judge: (order: ComplianceOrder, facts: OrderFacts) => Breach | undefined;
}

/** Rules by their violation code, which is also their problem code. */
export type RuleBook<Code extends string = string> = Readonly<Record<Code, ComplianceRule>>;

/**
 * Why an order cannot be published, each a numbered rule of docs/legal-rules.md with its legal source.
 * Rules are judged in this order, which is the order of an assessment's `violations`.
 */
export const RULES = {
  REGISTRATION_NOT_PUBLISHABLE: {
    rule: 2,
    reference: `${LAW_69}, Điều 19`,
    field: 'registration.status',
    cap: false,
    judge: (order) =>
      PUBLISHABLE_REGISTRATIONS.includes(order.registrationStatus)
        ? undefined
        : { limit: PUBLISHABLE_REGISTRATIONS.join(' | '), actual: order.registrationStatus },
  },
  OPENINGS_OVER_APPROVED_HEADCOUNT: {
    rule: 3,
    reference: `${LAW_69}, Điều 19`,
    field: 'openings',
    cap: false,
    judge: (order) =>
      order.registrationStatus === 'approved' &&
      order.approvedHeadcount !== null &&
      order.openings > order.approvedHeadcount
        ? { limit: order.approvedHeadcount, actual: order.openings }
        : undefined,
  },
  AGE_RANGE_ADMITS_MINORS: {
    rule: 4,
    reference: `${LAW_69}, Điều 44`,
    field: 'birthYearTo',
    cap: false,
    judge: (order, { now }) => {
      const youngestAllowed = now.getUTCFullYear() - MINIMUM_WORKER_AGE;
      return order.birthYearTo > youngestAllowed
        ? { limit: youngestAllowed, actual: order.birthYearTo }
        : undefined;
    },
  },
  BROKERAGE_FEE_NOT_ALLOWED: {
    rule: 6,
    reference: `${LAW_69}, Điều 7 khoản 8`,
    field: 'costs.brokerageVnd',
    cap: true,
    judge: (order) => (order.brokerageFeeVnd > 0 ? { limit: 0, actual: order.brokerageFeeVnd } : undefined),
  },
  EPS_ONLY_PUBLIC_CENTRE: {
    rule: 10,
    reference: 'Bản ghi nhớ Việt Nam – Hàn Quốc về Chương trình EPS',
    field: 'program',
    cap: false,
    judge: (order) =>
      PUBLIC_CENTRE_PROGRAMS.includes(order.programCode) && !order.agencyIsPublicSendingCentre
        ? {}
        : undefined,
  },
  /** The caps in VND and the minimum salary in USD need the salary's currency, and USD, converted. */
  EXCHANGE_RATE_MISSING: {
    rule: 8,
    reference: 'Tỷ giá cấu hình của hệ thống (bảng exchange_rates)',
    field: 'salary.currency',
    cap: true,
    judge: (order, { caps, hasRate }) => {
      if (!hasRate(order.salaryCurrency))
        return { limit: order.salaryCurrency, actual: order.salaryCurrency };
      if (caps.minimumSalaryUsd !== null && !hasRate('USD')) return { limit: 'USD', actual: 'USD' };
      return undefined;
    },
  },
  FEE_OVER_CAP: {
    rule: 5,
    reference: `${CIRCULAR_21}, Điều 5`,
    field: 'costs.serviceFeeVnd',
    cap: true,
    judge: (order, { caps }) =>
      caps.serviceFeeVnd !== null && order.serviceFeeVnd > caps.serviceFeeVnd
        ? { limit: caps.serviceFeeVnd, actual: order.serviceFeeVnd }
        : undefined,
  },
  DEPOSIT_OVER_CAP: {
    rule: 7,
    reference: `${CIRCULAR_21}, Điều 7`,
    field: 'costs.depositVnd',
    cap: true,
    judge: (order, { caps }) =>
      order.depositVnd > caps.depositVnd ? { limit: caps.depositVnd, actual: order.depositVnd } : undefined,
  },
  SALARY_BELOW_MINIMUM: {
    rule: 8,
    reference: `${CIRCULAR_21}, Điều 4`,
    field: 'salary.amount',
    cap: true,
    judge: (order, { caps, exactVnd }) => {
      if (caps.minimumSalaryUsd === null) return undefined;
      const salary = exactVnd(order.salaryAmount, order.salaryCurrency);
      const minimum = exactVnd(String(caps.minimumSalaryUsd), 'USD');
      // Without a rate the salary cannot be judged; EXCHANGE_RATE_MISSING says so.
      if (salary === undefined || minimum === undefined || salary >= minimum) return undefined;
      return {
        limit: `${caps.minimumSalaryUsd} USD`,
        actual: `${order.salaryAmount} ${order.salaryCurrency}`,
      };
    },
  },
} satisfies RuleBook;

export type ViolationCode = keyof typeof RULES;
