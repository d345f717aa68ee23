import { FieldError, interpolate, Lang, ProblemException } from '@app/core';
import { ReferenceService } from '@app/reference';
import { HttpStatus, Injectable } from '@nestjs/common';

import { CapsCase, legalCaps } from './compliance.engine';
import { DEPOSIT_CAPS, DepositCap, RULES, SERVICE_FEE_CAPS, ServiceFeeCap } from './compliance.rules';
import { LegalCapsDto, LegalCapsQueryDto } from './dto/legal-caps.dto';
import texts from './legal-caps.texts.json';

type Text = Record<Lang, string>;
const SCOPES: { serviceFee: Record<string, Text>; deposit: Record<string, Text> } = texts;
const TEMPLATES: Record<keyof typeof texts.templates, Text> = texts.templates;

// A row of a rule table without words for people would answer an empty description: refuse to start.
const unnamed = [
  ...SERVICE_FEE_CAPS.filter((row) => !SCOPES.serviceFee[row.id]).map((row) => `serviceFee.${row.id}`),
  ...DEPOSIT_CAPS.filter((row) => !SCOPES.deposit[row.id]).map((row) => `deposit.${row.id}`),
];
if (unnamed.length)
  throw new Error(`Cap rules without texts in legal-caps.texts.json: ${unnamed.join(', ')}`);

/**
 * The legal caps of any case (destination, programme, industry, contract, salary) for the public: the
 * publish check's own tables and arithmetic (legalCaps), at the exchange rates it uses, with their sources.
 */
@Injectable()
export class LegalCapsService {
  constructor(private readonly reference: ReferenceService) {}

  async caps(query: LegalCapsQueryDto, lang: Lang): Promise<LegalCapsDto> {
    const [countries, programs, industries, rates] = await Promise.all([
      this.reference.countries(),
      this.reference.programs(),
      this.reference.industries(),
      this.reference.exchangeRates(),
    ]);
    const country = countries.find((candidate) => candidate.code === query.country);
    const program = programs.find((candidate) => candidate.code === query.program);
    const errors: FieldError[] = [];
    if (!country) errors.push({ field: 'country', constraint: 'isCountry' });
    if (!program) errors.push({ field: 'program', constraint: 'isProgram' });
    else if (country && program.countryCode && program.countryCode !== country.code)
      errors.push({ field: 'program', constraint: 'isProgramForCountry' });
    if (query.industry && !industries.some((industry) => industry.code === query.industry))
      errors.push({ field: 'industry', constraint: 'isIndustry' });
    if (errors.length) throw ProblemException.validation(errors);
    const vndPerUnit = rates.get(query.salaryCurrency);
    if (vndPerUnit === undefined) {
      // The same refusal as publishing an order in that currency: without a rate no cap can be worked out.
      throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'EXCHANGE_RATE_MISSING', {}, [
        { field: 'salaryCurrency', constraint: 'isCurrencyWithRate' },
      ]);
    }

    const of: CapsCase = {
      countryCode: country!.code,
      countryRegion: country!.region,
      programCode: program!.code,
      industryCode: query.industry ?? '',
      contractMonths: query.contractMonths,
      // As an order stores its salary (AgencyJobOrdersService), so both are judged on the same figure.
      salaryAmount: query.salaryAmount.toFixed(2),
      salaryCurrency: query.salaryCurrency,
    };
    const result = legalCaps(of, rates);
    const rowsOf = (industryCode: string) => {
      const { serviceFee, deposit } = legalCaps({ ...of, industryCode }, rates);
      return `${serviceFee.id}/${deposit.id}`;
    };
    const withoutIndustry = rowsOf('');
    const numbers = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB');
    const say = (key: keyof typeof TEMPLATES, params: Record<string, string | number> = {}) =>
      interpolate(TEMPLATES[key][lang], params);
    const { caps } = result;
    const minimum = result.minimumSalary;
    return {
      country: of.countryCode,
      program: of.programCode,
      industry: query.industry ?? null,
      contractMonths: of.contractMonths,
      salary: {
        amount: Number(of.salaryAmount),
        currency: of.salaryCurrency,
        vndPerUnit,
        vnd: Math.floor(Number(of.salaryAmount) * vndPerUnit),
      },
      serviceFee: {
        maxVnd: caps.serviceFeeVnd!,
        months: caps.serviceFeeMonths,
        rule: result.serviceFee.id,
        reference: result.serviceFee.reference,
        scope: SCOPES.serviceFee[result.serviceFee.id][lang],
        description: describeServiceFee(result.serviceFee, numbers, say),
      },
      deposit: {
        maxVnd: caps.depositVnd,
        rule: result.deposit.id,
        reference: result.deposit.reference,
        scope: SCOPES.deposit[result.deposit.id][lang],
        description: describeDeposit(result.deposit, caps.depositVnd, numbers, say),
      },
      brokerage: {
        maxVnd: caps.brokerageFeeVnd,
        rule: 'brokerage',
        reference: RULES.BROKERAGE_FEE_NOT_ALLOWED.reference,
        scope: SCOPES.serviceFee.general[lang],
        description: say('brokerage'),
      },
      minimumSalary:
        minimum && caps.minimumSalaryUsd !== null
          ? {
              usd: caps.minimumSalaryUsd,
              vnd: result.minimumSalaryVnd,
              inSalaryCurrency:
                result.minimumSalaryInCurrency === null ? null : Number(result.minimumSalaryInCurrency),
              rule: 'minimum_salary',
              reference: minimum.reference,
              scope: lang === 'vi' ? country!.nameVi : country!.nameEn,
              description: say('minimumSalary', { usd: numbers.format(caps.minimumSalaryUsd) }),
            }
          : null,
      industryMatters: industries.some((industry) => rowsOf(industry.code) !== withoutIndustry),
    };
  }
}

function describeServiceFee(
  row: ServiceFeeCap,
  numbers: Intl.NumberFormat,
  say: (key: keyof typeof TEMPLATES, params?: Record<string, string | number>) => string,
): string {
  if (row.per12Tenths === 0) return say('feeNone');
  const per12 = numbers.format(row.per12Tenths / 10);
  return row.maxTenths === null
    ? say('feePer12', { per12 })
    : say('feePer12Max', { per12, max: numbers.format(row.maxTenths / 10) });
}

function describeDeposit(
  row: DepositCap,
  capVnd: number,
  numbers: Intl.NumberFormat,
  say: (key: keyof typeof TEMPLATES, params?: Record<string, string | number>) => string,
): string {
  if (capVnd === 0) return say('depositNone');
  return say(row.capVnd === 'airfare' ? 'depositAirfare' : 'depositFixed', {
    amount: numbers.format(capVnd),
  });
}
