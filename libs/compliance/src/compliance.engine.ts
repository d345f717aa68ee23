import { foldVietnamese } from '@app/core';
import type { CountryRegion } from '@app/reference';

import {
  DEPOSIT_CAPS,
  ECONOMY_AIRFARE_TO_VIETNAM_VND,
  MINIMUM_SALARIES,
  MINIMUM_WORKER_AGE,
  OrderMatch,
  PUBLIC_CENTRE_PROGRAMS,
  PUBLISHABLE_REGISTRATIONS,
  RULES,
  SERVICE_FEE_CAPS,
  SUSPICIOUS_PHRASES,
  ViolationCode,
} from './compliance.rules';

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

export interface Violation {
  code: ViolationCode;
  rule: number;
  reference: string;
  /** The limit and the order's value, where the rule has numbers. */
  limit?: number | string;
  actual?: number | string;
}

export interface WordingFlag {
  code: 'SUSPICIOUS_WORDING';
  rule: 9;
  field: string;
  phrase: string;
}

/** The caps that apply to an order and whether it is within them, for its detail page and for publishing. */
export interface ComplianceAssessment {
  caps: {
    serviceFeeVnd: number | null;
    serviceFeeMonths: number;
    serviceFeeRule: string;
    depositVnd: number;
    depositRule: string;
    brokerageFeeVnd: 0;
    minimumSalaryUsd: number | null;
  };
  withinCaps: boolean;
  violations: Violation[];
  flags: WordingFlag[];
}

/** VND per unit of each currency, as configured (`exchange_rates`); decimal strings or numbers. */
export type ExchangeRates = ReadonlyMap<string, string | number>;

const SCALE = 10_000n;

/**
 * Judges an order against rules 2–8 and 10 and looks for the wording of rule 9. Every violated rule is
 * listed, not only the first; money is compared exactly (at the cap passes, one đồng over fails).
 */
export function assessOrder(
  order: ComplianceOrder,
  rates: ExchangeRates,
  now: Date = new Date(),
): ComplianceAssessment {
  const violations: Violation[] = [];
  const violate = (code: ViolationCode, limit?: number | string, actual?: number | string) =>
    violations.push({ code, ...RULES[code], ...(limit === undefined ? {} : { limit, actual }) });

  if (!PUBLISHABLE_REGISTRATIONS.includes(order.registrationStatus)) {
    violate('REGISTRATION_NOT_PUBLISHABLE', PUBLISHABLE_REGISTRATIONS.join(' | '), order.registrationStatus);
  }
  if (
    order.registrationStatus === 'approved' &&
    order.approvedHeadcount !== null &&
    order.openings > order.approvedHeadcount
  ) {
    violate('OPENINGS_OVER_APPROVED_HEADCOUNT', order.approvedHeadcount, order.openings);
  }
  const youngestAllowed = now.getUTCFullYear() - MINIMUM_WORKER_AGE;
  if (order.birthYearTo > youngestAllowed)
    violate('AGE_RANGE_ADMITS_MINORS', youngestAllowed, order.birthYearTo);
  if (order.brokerageFeeVnd > 0) violate('BROKERAGE_FEE_NOT_ALLOWED', 0, order.brokerageFeeVnd);
  if (PUBLIC_CENTRE_PROGRAMS.includes(order.programCode) && !order.agencyIsPublicSendingCentre) {
    violate('EPS_ONLY_PUBLIC_CENTRE');
  }

  const salaryRate = rateOf(rates, order.salaryCurrency);
  const salaryVnd =
    salaryRate === undefined ? undefined : (decimal(order.salaryAmount) * salaryRate) / SCALE / SCALE;

  const feeCap = SERVICE_FEE_CAPS.find((cap) => matches(cap.match, order))!;
  const feeTenths =
    feeCap.maxTenths === null
      ? BigInt(feeCap.per12Tenths * order.contractMonths)
      : min(BigInt(feeCap.per12Tenths * order.contractMonths), BigInt(feeCap.maxTenths * 12));
  // Tenths of a month per 12 months of contract: cap = salary × tenths / 120, rounded down to the đồng.
  const serviceFeeCapVnd = salaryVnd === undefined ? undefined : (salaryVnd * feeTenths) / 120n;
  if (serviceFeeCapVnd === undefined) {
    violate('EXCHANGE_RATE_MISSING', order.salaryCurrency, order.salaryCurrency);
  } else if (BigInt(order.serviceFeeVnd) > serviceFeeCapVnd) {
    violate('FEE_OVER_CAP', Number(serviceFeeCapVnd), order.serviceFeeVnd);
  }

  const depositCap = DEPOSIT_CAPS.find((cap) => matches(cap.match, order))!;
  const depositCapVnd =
    depositCap.capVnd === 'airfare' ? ECONOMY_AIRFARE_TO_VIETNAM_VND[order.countryRegion] : depositCap.capVnd;
  if (order.depositVnd > depositCapVnd) violate('DEPOSIT_OVER_CAP', depositCapVnd, order.depositVnd);

  const minimum = MINIMUM_SALARIES.find((row) => row.regions.includes(order.countryRegion));
  const minimumUsd = minimum && (order.contractMonths >= 12 ? minimum.usd : minimum.shortContractUsd);
  if (minimumUsd !== undefined && salaryRate !== undefined) {
    const usdRate = rateOf(rates, 'USD');
    if (usdRate === undefined) {
      violate('EXCHANGE_RATE_MISSING', 'USD', 'USD');
    } else if (decimal(order.salaryAmount) * salaryRate < BigInt(minimumUsd) * SCALE * usdRate) {
      violate('SALARY_BELOW_MINIMUM', `${minimumUsd} USD`, `${order.salaryAmount} ${order.salaryCurrency}`);
    }
  }

  const caps: ComplianceAssessment['caps'] = {
    serviceFeeVnd: serviceFeeCapVnd === undefined ? null : Number(serviceFeeCapVnd),
    serviceFeeMonths: Number(feeTenths) / 120,
    serviceFeeRule: feeCap.id,
    depositVnd: depositCapVnd,
    depositRule: depositCap.id,
    brokerageFeeVnd: 0,
    minimumSalaryUsd: minimumUsd ?? null,
  };
  const capCodes: ViolationCode[] = [
    'FEE_OVER_CAP',
    'BROKERAGE_FEE_NOT_ALLOWED',
    'DEPOSIT_OVER_CAP',
    'SALARY_BELOW_MINIMUM',
    'EXCHANGE_RATE_MISSING',
  ];
  return {
    caps,
    withinCaps: !violations.some((violation) => capCodes.includes(violation.code)),
    violations,
    flags: suspiciousWording(order.texts),
  };
}

/** Forbidden or scam wording in any of the texts, with or without diacritics. */
export function suspiciousWording(texts: Record<string, string>): WordingFlag[] {
  const flags: WordingFlag[] = [];
  for (const [field, text] of Object.entries(texts)) {
    const folded = ` ${foldVietnamese(text).replace(/\s+/g, ' ')} `;
    for (const phrase of SUSPICIOUS_PHRASES) {
      const at = folded.indexOf(phrase);
      if (at < 0) continue;
      const before = folded[at - 1];
      const after = folded[at + phrase.length];
      if (!isWordChar(before) && !isWordChar(after))
        flags.push({ code: 'SUSPICIOUS_WORDING', rule: 9, field, phrase });
    }
  }
  return flags;
}

function matches(match: OrderMatch, order: ComplianceOrder): boolean {
  return (
    (!match.programs || match.programs.includes(order.programCode)) &&
    (!match.countries || match.countries.includes(order.countryCode)) &&
    (!match.regions || match.regions.includes(order.countryRegion)) &&
    (!match.industries || match.industries.includes(order.industryCode))
  );
}

/** A rate in units of 1/10,000 VND; VND itself is 1. */
function rateOf(rates: ExchangeRates, currency: string): bigint | undefined {
  if (currency === 'VND') return SCALE;
  const rate = rates.get(currency);
  if (rate === undefined) return undefined;
  return decimal(typeof rate === 'number' ? rate.toFixed(4) : rate);
}

/** A non-negative decimal string as an integer number of 1/10,000 units, exactly. */
function decimal(value: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal amount: ${value}`);
  return BigInt(match[1]) * SCALE + BigInt((match[2] ?? '').padEnd(4, '0'));
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[a-z0-9]/.test(char);
}
