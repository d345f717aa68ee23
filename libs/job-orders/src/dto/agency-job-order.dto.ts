import { IsText, PageQueryDto } from '@app/core';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';

import {
  GENDER_REQUIREMENTS,
  GenderRequirement,
  PUBLICATION_STATUSES,
  PublicationStatus,
  REGISTRATION_STATUSES,
  RegistrationStatus,
} from '../job-order.entity';
import { CostsDto, MoneyDto } from './job-order.dto';

const MAX_VND = 10_000_000_000;
const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;

export class MoneyInputDto {
  @ApiProperty({
    example: 180000,
    description: 'Base salary per month, overtime excluded; at most 2 decimals',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(1e10)
  amount!: number;

  @ApiProperty({ example: 'JPY', description: 'ISO 4217; VND or a currency with a configured exchange rate' })
  @Transform(upperCase)
  @Matches(/^[A-Z]{3}$/)
  currency!: string;
}

/**
 * An amount of đồng the worker pays, 0 when absent. Listed in the order a stack of decorators applies them
 * (bottom up), which is the order of the errors it reports.
 */
const CostVnd = (description?: string) =>
  applyDecorators(
    Max(MAX_VND),
    Min(0),
    IsInt(),
    IsOptional(),
    ApiPropertyOptional({ default: 0, ...(description ? { description } : {}) }),
  );

export class CostsInputDto {
  @CostVnd() serviceFeeVnd?: number;
  @CostVnd() trainingVnd?: number;
  @CostVnd() depositVnd?: number;
  @CostVnd() airfareVnd?: number;
  @CostVnd('Must be 0 to publish (Law 69/2020 Art. 7.8)') brokerageVnd?: number;
  @CostVnd() otherVnd?: number;
}

/** What an agency may write on its order. Registration, publication, counters and ownership are not here. */
export class CreateJobOrderDto {
  @ApiProperty({ example: 'Tuyển 16 Nam Chế biến thực phẩm tại Gunma' })
  @IsText(5, 200)
  title!: string;

  @ApiProperty({ example: 'Chế biến thực phẩm' })
  @IsText(2, 200)
  occupation!: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsText(0, 5000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 5000, description: 'Education, height/weight, language...' })
  @IsOptional()
  @IsText(0, 5000)
  requirements?: string;

  @ApiProperty({ example: 'JP', description: 'Destination, ISO 3166-1 alpha-2' })
  @Transform(upperCase)
  @Matches(/^[A-Z]{2}$/)
  country!: string;

  @ApiProperty({ example: 'Gunma' })
  @IsText(2, 120)
  workLocation!: string;

  @ApiProperty({ example: 'food_processing', description: 'A code of GET /reference/industries' })
  @Matches(/^[a-z0-9_]{1,40}$/)
  industry!: string;

  @ApiProperty({ example: 'jp_technical_intern', description: 'A code of GET /reference/programs' })
  @Matches(/^[a-z0-9_]{1,40}$/)
  program!: string;

  @ApiProperty({ minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  openings!: number;

  @ApiPropertyOptional({ enum: GENDER_REQUIREMENTS, default: 'any' })
  @IsOptional()
  @IsIn(GENDER_REQUIREMENTS)
  gender?: GenderRequirement;

  @ApiProperty({ example: 1990 })
  @IsInt()
  @Min(1940)
  @Max(2100)
  birthYearFrom!: number;

  @ApiProperty({ example: 2006 })
  @IsInt()
  @Min(1940)
  @Max(2100)
  birthYearTo!: number;

  @ApiProperty({ type: MoneyInputDto })
  @ValidateNested()
  @Type(() => MoneyInputDto)
  salary!: MoneyInputDto;

  @ApiProperty({ minimum: 1, maximum: 120 })
  @IsInt()
  @Min(1)
  @Max(120)
  contractMonths!: number;

  @ApiPropertyOptional({ type: CostsInputDto, description: 'Costs to the worker in VND; absent ones are 0' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CostsInputDto)
  costs?: CostsInputDto;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 60,
    description: 'Expected months from selection to departure',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  expectedDepartureMonths?: number;
}

/** Any subset of the creatable fields; `costs` entries not given keep their value. */
export class UpdateJobOrderDto extends PartialType(CreateJobOrderDto) {}

export class AgencyJobOrderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PUBLICATION_STATUSES })
  @IsOptional()
  @IsIn(PUBLICATION_STATUSES)
  publicationStatus?: PublicationStatus;

  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES })
  @IsOptional()
  @IsIn(REGISTRATION_STATUSES)
  registrationStatus?: RegistrationStatus;
}

export class AgencyRegistrationDto {
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status!: RegistrationStatus;
  @ApiProperty({ nullable: true, type: String }) number!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) approvedOn!: string | null;
  @ApiProperty({ nullable: true, type: Number }) approvedHeadcount!: number | null;
  @ApiProperty({ nullable: true, type: String, description: "The regulator's reason, when rejected" })
  rejectionReason!: string | null;
}

export class ViolationDto {
  @ApiProperty({ example: 'FEE_OVER_CAP' }) code!: string;
  @ApiProperty({ description: 'Rule number of the product rules' }) rule!: number;
  @ApiProperty({ description: 'Legal source' }) reference!: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'number' }, { type: 'string' }] }) limit?: number | string;
  @ApiPropertyOptional({ oneOf: [{ type: 'number' }, { type: 'string' }] }) actual?: number | string;
}

export class WordingFlagDto {
  @ApiProperty({ example: 'SUSPICIOUS_WORDING' }) code!: string;
  @ApiProperty() field!: string;
  @ApiProperty({ description: 'The phrase found, accent-folded' }) phrase!: string;
}

export class AgencyComplianceDto {
  @ApiProperty({ nullable: true, type: Number }) serviceFeeCapVnd!: number | null;
  @ApiProperty({ description: 'Months of base salary the service fee may reach' })
  serviceFeeCapMonths!: number;
  @ApiProperty() depositCapVnd!: number;
  @ApiProperty({ nullable: true, type: Number }) minimumSalaryUsd!: number | null;
  @ApiProperty() withinCaps!: boolean;
  @ApiProperty({ description: 'Whether publishing would pass every rule now' }) publishable!: boolean;
  @ApiProperty({ type: [ViolationDto] }) violations!: ViolationDto[];
  @ApiProperty({ type: [WordingFlagDto], description: 'Wording a regulator will review once published' })
  wordingFlags!: WordingFlagDto[];
}

export class AgencyJobOrderDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() occupation!: string;
  @ApiProperty() description!: string;
  @ApiProperty() requirements!: string;
  @ApiProperty() country!: string;
  @ApiProperty() workLocation!: string;
  @ApiProperty() industry!: string;
  @ApiProperty() program!: string;
  @ApiProperty() openings!: number;
  @ApiProperty({ enum: GENDER_REQUIREMENTS }) gender!: GenderRequirement;
  @ApiProperty() birthYearFrom!: number;
  @ApiProperty() birthYearTo!: number;
  @ApiProperty({ type: MoneyDto }) salary!: MoneyDto;
  @ApiProperty() salaryVndEstimate!: number;
  @ApiProperty() contractMonths!: number;
  @ApiProperty({ type: CostsDto }) costs!: CostsDto;
  @ApiProperty() totalCostVnd!: number;
  @ApiProperty({ nullable: true, type: Number }) expectedDepartureMonths!: number | null;
  @ApiProperty({ type: AgencyRegistrationDto }) registration!: AgencyRegistrationDto;
  @ApiProperty({ enum: PUBLICATION_STATUSES }) publicationStatus!: PublicationStatus;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) publishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why a regulator took the listing down' })
  takedownReason!: string | null;
  @ApiProperty() views!: number;
  @ApiProperty() consultationCount!: number;
  @ApiProperty({ type: AgencyComplianceDto }) compliance!: AgencyComplianceDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class AgencyJobOrderPageDto {
  @ApiProperty({ type: [AgencyJobOrderDto] }) items!: AgencyJobOrderDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
