import { IsText, PageQueryDto } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Max, Min } from 'class-validator';

import {
  PUBLICATION_STATUSES,
  PublicationStatus,
  REGISTRATION_STATUSES,
  RegistrationStatus,
} from '../job-order.entity';
import { AgencyJobOrderDto } from './agency-job-order.dto';

export const REGISTRATION_DECISIONS = ['source_preparation', 'approved', 'rejected'] as const;
export type RegistrationDecision = (typeof REGISTRATION_DECISIONS)[number];

export class RegistrationDecisionDto {
  @ApiProperty({
    enum: REGISTRATION_DECISIONS,
    description: 'source_preparation: candidates may be prepared, no fee collected yet; approved: registered',
  })
  @IsIn(REGISTRATION_DECISIONS)
  decision!: RegistrationDecision;

  @ApiPropertyOptional({ example: '1234/QLLĐNN-ĐH', description: 'Required with approved' })
  @IsOptional()
  @IsText(1, 60)
  referenceNumber?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Date of the approval; today (Vietnam time) if absent',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  approvedOn?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, description: 'Required with approved' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  approvedHeadcount?: number;

  @ApiPropertyOptional({ description: 'Required with rejected; shown to the agency' })
  @IsOptional()
  @IsText(3, 2000)
  reason?: string;
}

export class TakedownDto {
  @ApiProperty({ description: 'Shown to the agency' })
  @IsText(3, 2000)
  reason!: string;
}

export class RegulatorJobOrderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: REGISTRATION_STATUSES,
    description: 'e.g. submitted: the orders awaiting a decision',
  })
  @IsOptional()
  @IsIn(REGISTRATION_STATUSES)
  registrationStatus?: RegistrationStatus;

  @ApiPropertyOptional({ enum: PUBLICATION_STATUSES })
  @IsOptional()
  @IsIn(PUBLICATION_STATUSES)
  publicationStatus?: PublicationStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export const REPORT_REASONS = [
  'fake_order',
  'excessive_fees',
  'unlicensed_broker',
  'scam',
  'misleading_information',
  'other',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export class CreateReportDto {
  @ApiProperty({ enum: REPORT_REASONS })
  @IsIn(REPORT_REASONS)
  reason!: ReportReason;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsText(0, 2000)
  detail?: string;

  @ApiPropertyOptional({
    description: 'A Vietnamese mobile number, if the reporter agrees to be called back',
  })
  @IsOptional()
  @IsText(0, 30)
  contactPhone?: string;
}

export class ReportAcceptedDto {
  @ApiProperty({ description: 'The flag opened for regulators' }) id!: string;
  @ApiProperty({ example: 'open' }) status!: string;
}

export class RegulatorJobOrderDto extends AgencyJobOrderDto {
  @ApiProperty() agencyId!: string;
}

export class RegulatorJobOrderPageDto {
  @ApiProperty({ type: [RegulatorJobOrderDto] }) items!: RegulatorJobOrderDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
