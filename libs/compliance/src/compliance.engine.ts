import { foldVietnamese } from '@app/core';

import {
  ComplianceCaps,
  ComplianceOrder,
  DEPOSIT_CAPS,
  ECONOMY_AIRFARE_TO_VIETNAM_VND,
  MINIMUM_SALARIES,
  OrderFacts,
  OrderMatch,
  RuleBook,
  RULES,
  SERVICE_FEE_CAPS,
  SUSPICIOUS_PHRASES,
  ViolationCode,
} from './compliance.rules';

export interface Violation<Code extends string = ViolationCode> {
  code: Code;
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
export interface ComplianceAssessment<Code extends string = ViolationCode> {
  caps: ComplianceCaps;
  withinCaps: boolean;
  violations: Violation<Code>[];
  flags: WordingFlag[];
}

/** VND per unit of each currency, as configured (`exchange_rates`); decimal strings or numbers. */
export type ExchangeRates = ReadonlyMap<string, string | number>;

const SCALE = 10_000n;

/**
 * Judges an order against every rule of the book (RULES: 2–8 and 10) and looks for the wording of rule 9.
 * Every violated rule is listed, not only the first; money is compared exactly (at the cap passes, one
 * đồng over fails).
 */
export function assessOrder<Code extends string = ViolationCode>(
  order: ComplianceOrder,
  rates: ExchangeRates,
  now: Date = new Date(),
  rules: RuleBook<Code> = RULES as RuleBook<Code>,
): ComplianceAssessment<Code> {
  const exactVnd = (amount: string, currency: string) => {
    const rate = rateOf(rates, currency);
    return rate === undefined ? undefined : decimal(amount) * rate;
  };
  const facts: OrderFacts = {
    now,
    caps: capsOf(order, exactVnd),
    hasRate: (currency) => rateOf(rates, currency) !== undefined,
    exactVnd,
  };

  const violations: Violation<Code>[] = [];
  for (const code of Object.keys(rules) as Code[]) {
    const { rule, reference, judge } = rules[code];
    const breach = judge(order, facts);
    if (!breach) continue;
    const { limit, actual } = breach;
    violations.push({ code, rule, reference, ...(limit === undefined ? {} : { limit, actual }) });
  }
  return {
    caps: facts.caps,
    withinCaps: !violations.some((violation) => rules[violation.code].cap),
    violations,
    flags: suspiciousWording(order.texts),
  };
}

/** The service-fee and deposit caps and the minimum salary that apply to the order. */
function capsOf(order: ComplianceOrder, exactVnd: OrderFacts['exactVnd']): ComplianceCaps {
  const exactSalary = exactVnd(order.salaryAmount, order.salaryCurrency);
  const salaryVnd = exactSalary === undefined ? undefined : exactSalary / SCALE / SCALE;

  const feeCap = SERVICE_FEE_CAPS.find((cap) => matches(cap.match, order))!;
  const feeTenths =
    feeCap.maxTenths === null
      ? BigInt(feeCap.per12Tenths * order.contractMonths)
      : min(BigInt(feeCap.per12Tenths * order.contractMonths), BigInt(feeCap.maxTenths * 12));
  // Tenths of a month per 12 months of contract: cap = salary × tenths / 120, rounded down to the đồng.
  const serviceFeeCapVnd = salaryVnd === undefined ? undefined : (salaryVnd * feeTenths) / 120n;

  const depositCap = DEPOSIT_CAPS.find((cap) => matches(cap.match, order))!;
  const minimum = MINIMUM_SALARIES.find((row) => row.regions.includes(order.countryRegion));
  const minimumUsd = minimum && (order.contractMonths >= 12 ? minimum.usd : minimum.shortContractUsd);

  return {
    serviceFeeVnd: serviceFeeCapVnd === undefined ? null : Number(serviceFeeCapVnd),
    serviceFeeMonths: Number(feeTenths) / 120,
    serviceFeeRule: feeCap.id,
    depositVnd:
      depositCap.capVnd === 'airfare'
        ? ECONOMY_AIRFARE_TO_VIETNAM_VND[order.countryRegion]
        : depositCap.capVnd,
    depositRule: depositCap.id,
    brokerageFeeVnd: 0,
    minimumSalaryUsd: minimumUsd ?? null,
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
