import { FastQuery, hasOnlyKeys, IsText, PageQueryDto } from '@app/core';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

import { LICENSE_STATUSES, LicenseStatus } from '@app/agencies';

import {
  GENDER_REQUIREMENTS,
  GenderRequirement,
  REGISTRATION_STATUSES,
  RegistrationStatus,
} from '../job-order.entity';

export const JOB_ORDER_SORTS = ['newest', 'salary', 'popular'] as const;
export type JobOrderSort = (typeof JOB_ORDER_SORTS)[number];

const MAX_VND = 10_000_000_000;

/** The filters of `GET /job-orders`; a job alert saves the same ones, from a JSON body (numbers stay numbers). */
export class JobOrderFiltersDto {
  @ApiPropertyOptional({
    description: 'Text over title, occupation, location and agency name; diacritics optional',
  })
  @IsOptional()
  @IsText(1, 100)
  q?: string;

  @ApiPropertyOptional({ description: 'Destination, ISO 3166-1 alpha-2', example: 'JP' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{2}$/)
  country?: string;

  @ApiPropertyOptional({ example: 'food_processing' })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,40}$/)
  industry?: string;

  @ApiPropertyOptional({ example: 'jp_technical_intern' })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,40}$/)
  program?: string;

  @ApiPropertyOptional({ enum: ['male', 'female'], description: 'Orders open to this gender' })
  @IsOptional()
  @IsIn(['male', 'female'])
  gender?: 'male' | 'female';

  @ApiPropertyOptional({ description: "Applicant's birth year: orders whose range admits it" })
  @IsOptional()
  @IsInt()
  @Min(1940)
  @Max(2100)
  birthYear?: number;

  @ApiPropertyOptional({ description: 'Minimum base salary per month, VND estimate' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VND)
  salaryMinVnd?: number;

  @ApiPropertyOptional({ description: 'Maximum total cost to the worker, VND' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VND)
  maxCostVnd?: number;
}

const PLAIN_QUERY_FIELDS: ReadonlySet<string> = new Set([
  'limit',
  'cursor',
  'sort',
  'country',
  'industry',
  'program',
  'gender',
  'birthYear',
  'salaryMinVnd',
  'maxCostVnd',
]);
const PLAIN: Record<string, RegExp> = {
  limit: /^(100|[1-9]\d?)$/,
  cursor: /^[A-Za-z0-9_-]{1,300}$/,
  sort: new RegExp(`^(${JOB_ORDER_SORTS.join('|')})$`),
  country: /^[A-Za-z]{2}$/,
  industry: /^[a-z0-9_]{1,40}$/,
  program: /^[a-z0-9_]{1,40}$/,
  gender: /^(male|female)$/,
  birthYear: /^(19[4-9]\d|20\d\d|2100)$/,
  salaryMinVnd: /^(0|[1-9]\d{0,9}|10000000000)$/,
  maxCostVnd: /^(0|[1-9]\d{0,9}|10000000000)$/,
};
const NUMBERS = new Set(['limit', 'birthYear', 'salaryMinVnd', 'maxCostVnd']);

/**
 * The plain cases of JobOrderQueryDto (no text, no agency), as its decorators would read them; undefined for
 * anything else, which the decorators then judge. job-order.dto.spec.ts compares the two.
 */
export function parseListingQuery(query: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!hasOnlyKeys(query, PLAIN_QUERY_FIELDS)) return undefined;
  const parsed: Record<string, unknown> = { limit: 20, sort: 'newest' };
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string' || !PLAIN[key].test(value)) return undefined;
    parsed[key] = NUMBERS.has(key) ? Number(value) : key === 'country' ? value.toUpperCase() : value;
  }
  return parsed;
}

@FastQuery(parseListingQuery)
export class JobOrderQueryDto extends IntersectionType(PageQueryDto, JobOrderFiltersDto) {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ enum: JOB_ORDER_SORTS, default: 'newest' })
  @IsOptional()
  @IsIn(JOB_ORDER_SORTS)
  sort: JobOrderSort = 'newest';
}

// A query string's numbers arrive as text.
for (const name of ['birthYear', 'salaryMinVnd', 'maxCostVnd'])
  Type(() => Number)(JobOrderQueryDto.prototype, name);

export class MoneyDto {
  @ApiProperty() amount!: number;
  @ApiProperty({ example: 'JPY' }) currency!: string;
}

export class CostsDto {
  @ApiProperty() serviceFeeVnd!: number;
  @ApiProperty() trainingVnd!: number;
  @ApiProperty() depositVnd!: number;
  @ApiProperty() airfareVnd!: number;
  @ApiProperty({ description: 'Always 0 when lawful (Law 69/2020 Art. 7.8)' }) brokerageVnd!: number;
  @ApiProperty() otherVnd!: number;
}

export class JobOrderAgencyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() licenseNumber!: string;
  @ApiProperty({ enum: LICENSE_STATUSES }) licenseStatus!: LicenseStatus;
}

export class RegistrationSummaryDto {
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status!: RegistrationStatus;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The authority's reference number once approved",
  })
  number!: string | null;
}

export class JobOrderDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'JP' }) country!: string;
  @ApiProperty() workLocation!: string;
  @ApiProperty() industry!: string;
  @ApiProperty() program!: string;
  @ApiProperty() openings!: number;
  @ApiProperty({ enum: GENDER_REQUIREMENTS }) gender!: GenderRequirement;
  @ApiProperty() birthYearFrom!: number;
  @ApiProperty() birthYearTo!: number;
  @ApiProperty({ type: MoneyDto, description: 'Base salary per month, overtime excluded' }) salary!: MoneyDto;
  @ApiProperty() salaryVndEstimate!: number;
  @ApiProperty() contractMonths!: number;
  @ApiProperty({ type: CostsDto }) costs!: CostsDto;
  @ApiProperty() totalCostVnd!: number;
  @ApiProperty({
    description:
      'Whether the fees, brokerage, deposit and salary keep within the legal limits, at the current rates',
  })
  withinCaps!: boolean;
  @ApiProperty({ type: RegistrationSummaryDto }) registration!: RegistrationSummaryDto;
  @ApiProperty({ type: JobOrderAgencyDto }) agency!: JobOrderAgencyDto;
  @ApiProperty() views!: number;
  @ApiProperty({ type: String, format: 'date-time' }) publishedAt!: string;
}

export class RegistrationDto extends RegistrationSummaryDto {
  @ApiProperty({ nullable: true, type: String, format: 'date' }) approvedOn!: string | null;
  @ApiProperty({ nullable: true, type: Number }) approvedHeadcount!: number | null;
  @ApiProperty({
    description: 'False while the order is only approved to prepare candidates: no fee may be collected yet',
  })
  feeCollectionAllowed!: boolean;
}

export class ComplianceDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Legal cap on the service fee for this order, in VND; null when its currency has no rate',
  })
  serviceFeeCapVnd!: number | null;
  @ApiProperty({ description: 'Legal cap on the deposit for this order, in VND (0: no deposit allowed)' })
  depositCapVnd!: number;
  @ApiProperty({
    description: 'Whether the fees, brokerage, deposit and salary keep within the legal limits',
  })
  withinCaps!: boolean;
}

export class JobOrderDetailDto extends JobOrderDto {
  @ApiProperty() occupation!: string;
  @ApiProperty() description!: string;
  @ApiProperty() requirements!: string;
  @ApiProperty({ nullable: true, type: Number }) expectedDepartureMonths!: number | null;
  @ApiProperty() consultationCount!: number;
  @ApiProperty({ type: RegistrationDto }) declare registration: RegistrationDto;
  @ApiProperty({ type: ComplianceDto }) compliance!: ComplianceDto;
}

export class JobOrderPageDto {
  @ApiProperty({ type: [JobOrderDto] }) items!: JobOrderDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
