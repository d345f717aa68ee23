import { foldVietnamese } from '@app/core';

import {
  ComplianceCaps,
  ComplianceOrder,
  DEPOSIT_CAPS,
  DepositCap,
  ECONOMY_AIRFARE_TO_VIETNAM_VND,
  MINIMUM_SALARIES,
  MinimumSalary,
  OrderFacts,
  OrderMatch,
  RuleBook,
  RULES,
  SERVICE_FEE_CAPS,
  ServiceFeeCap,
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
  const exactVnd = converter(rates);
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

/** What the caps depend on: destination, programme, industry, contract length and salary. */
export type CapsCase = Pick<
  ComplianceOrder,
  | 'countryCode'
  | 'countryRegion'
  | 'programCode'
  | 'industryCode'
  | 'contractMonths'
  | 'salaryAmount'
  | 'salaryCurrency'
>;

/** The caps of a case with the rows of the tables they come from, as GET /compliance/caps answers them. */
export interface LegalCaps {
  caps: ComplianceCaps;
  serviceFee: ServiceFeeCap;
  deposit: DepositCap;
  minimumSalary: MinimumSalary | undefined;
  /** The minimum salary in VND, rounded up to the đồng; null without the rule or a USD rate. */
  minimumSalaryVnd: number | null;
  /**
   * The least salary in the salary's own currency, to the cent, that the publish check accepts (rule 8);
   * null without the rule or the rates.
   */
  minimumSalaryInCurrency: string | null;
}

/**
 * The caps that apply to a case, by the same tables and arithmetic as assessOrder: an order of this case
 * passes with its fees at these caps and fails one đồng over (one cent under the minimum salary).
 */
export function legalCaps(of: CapsCase, rates: ExchangeRates): LegalCaps {
  const exactVnd = converter(rates);
  const rows = rulesOf(of);
  const caps = capsOf(of, exactVnd);
  const minimumExact =
    caps.minimumSalaryUsd === null ? undefined : exactVnd(String(caps.minimumSalaryUsd), 'USD');
  const rate = rateOf(rates, of.salaryCurrency);
  const unit = SCALE * SCALE;
  return {
    caps,
    serviceFee: rows.feeCap,
    deposit: rows.depositCap,
    minimumSalary: rows.minimum,
    minimumSalaryVnd: minimumExact === undefined ? null : Number(ceilDiv(minimumExact, unit)),
    // A salary of c cents is c × 100 ten-thousandths of a unit: the least c with c × 100 × rate ≥ minimum.
    minimumSalaryInCurrency:
      minimumExact === undefined || rate === undefined ? null : cents(ceilDiv(minimumExact, 100n * rate)),
  };
}

/** The rows of the tables that apply: the first matching service-fee and deposit rows, the minimum salary. */
function rulesOf(of: CapsCase): {
  feeCap: ServiceFeeCap;
  depositCap: DepositCap;
  minimum: MinimumSalary | undefined;
} {
  return {
    feeCap: SERVICE_FEE_CAPS.find((cap) => matches(cap.match, of))!,
    depositCap: DEPOSIT_CAPS.find((cap) => matches(cap.match, of))!,
    minimum: MINIMUM_SALARIES.find((row) => row.regions.includes(of.countryRegion)),
  };
}

/** The service-fee and deposit caps and the minimum salary that apply to the order. */
function capsOf(order: CapsCase, exactVnd: OrderFacts['exactVnd']): ComplianceCaps {
  const exactSalary = exactVnd(order.salaryAmount, order.salaryCurrency);
  const salaryVnd = exactSalary === undefined ? undefined : exactSalary / SCALE / SCALE;

  const { feeCap, depositCap, minimum } = rulesOf(order);
  const feeTenths =
    feeCap.maxTenths === null
      ? BigInt(feeCap.per12Tenths * order.contractMonths)
      : min(BigInt(feeCap.per12Tenths * order.contractMonths), BigInt(feeCap.maxTenths * 12));
  // Tenths of a month per 12 months of contract: cap = salary × tenths / 120, rounded down to the đồng.
  const serviceFeeCapVnd = salaryVnd === undefined ? undefined : (salaryVnd * feeTenths) / 120n;

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

function matches(match: OrderMatch, order: CapsCase): boolean {
  return (
    (!match.programs || match.programs.includes(order.programCode)) &&
    (!match.countries || match.countries.includes(order.countryCode)) &&
    (!match.regions || match.regions.includes(order.countryRegion)) &&
    (!match.industries || match.industries.includes(order.industryCode))
  );
}

/** A decimal amount in VND at the configured rate, exactly (in 10⁻⁸ đồng); undefined without a rate. */
function converter(rates: ExchangeRates): OrderFacts['exactVnd'] {
  return (amount, currency) => {
    const rate = rateOf(rates, currency);
    return rate === undefined ? undefined : decimal(amount) * rate;
  };
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

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** A whole number of cents as a decimal amount ("554.19"). */
function cents(value: bigint): string {
  return `${value / 100n}.${String(value % 100n).padStart(2, '0')}`;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[a-z0-9]/.test(char);
}
