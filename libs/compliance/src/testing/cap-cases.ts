import type { ComplianceOrder } from '../compliance.rules';

/**
 * The cases the money rules (5–8) are tested on, shared by the engine's unit tests and the e2e test of
 * GET /compliance/caps, so the endpoint is held to the publish check on every one of them. Each case is a
 * valid order (its programme belongs to its country, its region is the reference data's), so an agency can
 * create and publish it through the API. A case added here is tested in both places.
 */

/** VND per unit, as the unit tests configure them (the e2e test sets the same through the admin API). */
export const CASE_RATES: Readonly<Record<string, string>> = {
  JPY: '170.0000',
  TWD: '800.0000',
  KRW: '18.5000',
  EUR: '27500.0000',
  USD: '25400.0000',
};

/** A currency with no configured rate. */
export const CURRENCY_WITHOUT_RATE = 'CHF';

/** A publishable order; each case changes what it tests. */
export const BASE_ORDER: Omit<ComplianceOrder, 'texts'> = {
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
};

export type CaseOverrides = Partial<Omit<ComplianceOrder, 'texts'>>;

/** Service-fee caps: months of base salary (in tenths) × the salary in VND, worked out by hand. */
export const SERVICE_FEE_CASES: {
  market: string;
  overrides: CaseOverrides;
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

/** Markets where no service fee may be charged at all (salary 1,000 USD). */
const THOUSAND_USD: CaseOverrides = { salaryCurrency: 'USD', salaryAmount: '1000' };
export const NO_SERVICE_FEE_CASES: [market: string, overrides: CaseOverrides][] = [
  ['Japan technical intern stage 3', { ...THOUSAND_USD, programCode: 'jp_technical_intern_3' }],
  [
    'domestic work in Malaysia',
    {
      ...THOUSAND_USD,
      countryCode: 'MY',
      countryRegion: 'southeast_asia',
      programCode: 'general_contract',
      industryCode: 'home_caregiving',
    },
  ],
  [
    'agriculture in Australia',
    {
      ...THOUSAND_USD,
      countryCode: 'AU',
      countryRegion: 'oceania',
      programCode: 'general_contract',
      industryCode: 'agriculture',
    },
  ],
];

/** Deposit caps in VND. */
export const DEPOSIT_CASES: [market: string, overrides: CaseOverrides, capVnd: number][] = [
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
];

/** Markets where no deposit may be taken. */
export const NO_DEPOSIT_CASES: [market: string, overrides: CaseOverrides][] = [
  ['Japan', {}],
  [
    'the United States',
    {
      countryCode: 'US',
      countryRegion: 'americas',
      programCode: 'general_contract',
      salaryCurrency: 'USD',
      salaryAmount: '2000',
    },
  ],
  ['a ship crew', { countryCode: 'KR', programCode: 'sea_crew', industryCode: 'fishing' }],
];

/** Minimum base salaries: `least` passes, `below` (one cent less) fails. */
export const MINIMUM_SALARY_CASES: {
  market: string;
  overrides: CaseOverrides;
  minimumUsd: number;
  least: string;
  below: string;
}[] = [
  {
    market: 'Europe, a year or more: 600 USD',
    overrides: { ...europe(24), salaryCurrency: 'USD' },
    minimumUsd: 600,
    least: '600.00',
    below: '599.99',
  },
  {
    market: 'Europe, 6–12 months: 800 USD',
    overrides: { ...europe(9), salaryCurrency: 'USD' },
    minimumUsd: 800,
    least: '800.00',
    below: '799.99',
  },
  {
    // 600 USD = 600 × 25,400 VND = 15,240,000 VND = 554.1818… EUR at 27,500 VND.
    market: 'Europe, a salary in euros through the configured rates',
    overrides: { ...europe(24), salaryCurrency: 'EUR' },
    minimumUsd: 600,
    least: '554.19',
    below: '554.18',
  },
  {
    market: 'the Americas: 500 USD',
    overrides: {
      countryCode: 'US',
      countryRegion: 'americas',
      programCode: 'general_contract',
      salaryCurrency: 'USD',
    },
    minimumUsd: 500,
    least: '500.00',
    below: '499.99',
  },
  {
    market: 'West Asia: 400 USD',
    overrides: {
      countryCode: 'SA',
      countryRegion: 'west_asia',
      programCode: 'general_contract',
      salaryCurrency: 'USD',
    },
    minimumUsd: 400,
    least: '400.00',
    below: '399.99',
  },
];

function europe(contractMonths: number): CaseOverrides {
  return { countryCode: 'PL', countryRegion: 'europe', programCode: 'eu_work_permit', contractMonths };
}
