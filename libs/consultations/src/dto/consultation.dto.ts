import { FastValidation, hasOnlyKeys, isIntIn, isStringOfLength, isUuid, PageQueryDto } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Equals,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

import {
  APPLICANT_GENDERS,
  ApplicantGender,
  CONSULTATION_OUTCOMES,
  CONSULTATION_STATUSES,
  ConsultationOutcome,
  ConsultationStatus,
} from '../consultation.entity';

const CONSULTATION_FIELDS: ReadonlySet<string> = new Set([
  'jobOrderId',
  'fullName',
  'phone',
  'province',
  'birthYear',
  'gender',
  'message',
  'consent',
]);

/**
 * The decorators of CreateConsultationDto checked by hand, for the hottest route: a body this accepts
 * skips class-validator; anything else is validated (and reported) by the decorators. Keep the two in step
 * (consultation.dto.spec.ts compares them).
 */
export function isValidConsultationBody(body: Record<string, unknown>): boolean {
  return (
    hasOnlyKeys(body, CONSULTATION_FIELDS) &&
    isUuid(body.jobOrderId) &&
    isStringOfLength(body.fullName, 2, 100) &&
    isStringOfLength(body.phone, 0, 30) &&
    isStringOfLength(body.province, 0, 80) &&
    isIntIn(body.birthYear, 1940, 2100) &&
    (body.gender === undefined ||
      body.gender === null ||
      (APPLICANT_GENDERS as readonly unknown[]).includes(body.gender)) &&
    (body.message === undefined || body.message === null || isStringOfLength(body.message, 0, 1000)) &&
    body.consent === true
  );
}

@FastValidation(isValidConsultationBody)
export class CreateConsultationDto {
  @ApiProperty()
  @IsUUID()
  jobOrderId!: string;

  @ApiProperty({ example: 'Nguyễn Văn An' })
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  fullName!: string;

  @ApiProperty({
    example: '0912345678',
    description: 'Vietnamese mobile: 0912345678, +84 912 345 678, 84912345678',
  })
  @IsString()
  @MaxLength(30)
  phone!: string;

  @ApiProperty({ example: 'Nghệ An', description: 'Province, new or former name' })
  @IsString()
  @MaxLength(80)
  province!: string;

  @ApiProperty({ example: 2000 })
  @IsInt()
  @Min(1940)
  @Max(2100)
  birthYear!: number;

  @ApiPropertyOptional({ enum: APPLICANT_GENDERS })
  @IsOptional()
  @IsIn(APPLICANT_GENDERS)
  gender?: ApplicantGender;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  message?: string;

  @ApiProperty({
    description: 'Consent to pass the request to the agency that posted the order',
    enum: [true],
  })
  @Equals(true)
  consent!: true;
}

export class ConsultationAcceptedDto {
  @ApiPropertyOptional({ example: 'K7M3Q9T2XA', description: 'Absent for a duplicate' })
  trackingCode?: string;
  @ApiProperty({ enum: CONSULTATION_STATUSES }) status!: ConsultationStatus;
  @ApiPropertyOptional({
    enum: [true],
    description:
      'The phone already asked about this order within 24 hours: its tracking code is sent to the phone by SMS',
  })
  duplicate?: true;
}

export class TrackConsultationQueryDto {
  @ApiProperty({ description: 'The phone number used for the request' })
  @IsString()
  @MaxLength(30)
  phone!: string;
}

export class TimelineEntryDto {
  @ApiProperty({ enum: CONSULTATION_STATUSES }) status!: ConsultationStatus;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export class RequestJobOrderDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
}

export class RequestAgencyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() licenseNumber!: string;
}

export class ConsultationTrackingDto {
  @ApiProperty() trackingCode!: string;
  @ApiProperty({ enum: CONSULTATION_STATUSES }) status!: ConsultationStatus;
  @ApiPropertyOptional({ description: 'Reason code when rejected' }) reason?: string;
  @ApiProperty({ type: RequestJobOrderDto }) jobOrder!: RequestJobOrderDto;
  @ApiProperty({ type: RequestAgencyDto }) agency!: RequestAgencyDto;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
}

/** One of the applicant's own requests, as `GET /me/consultations` lists them. */
export class ApplicantConsultationDto {
  @ApiProperty() trackingCode!: string;
  @ApiProperty({ enum: CONSULTATION_STATUSES }) status!: ConsultationStatus;
  @ApiProperty({ type: RequestJobOrderDto }) jobOrder!: RequestJobOrderDto;
  @ApiProperty({ type: RequestAgencyDto }) agency!: RequestAgencyDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

export class ConsentExportDto {
  @ApiProperty() purpose!: string;
  @ApiProperty() policyVersion!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The text agreed to' }) text!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) grantedAt!: string;
}

/** One request with everything held about it, for the applicant's export. */
export class ApplicantRequestExportDto extends ApplicantConsultationDto {
  @ApiPropertyOptional({ description: 'Reason code when rejected' }) reason?: string;
  @ApiProperty({ nullable: true, enum: CONSULTATION_OUTCOMES }) outcome!: ConsultationOutcome | null;
  @ApiProperty({ nullable: true, type: String }) fullName!: string | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty() province!: string;
  @ApiProperty() birthYear!: number;
  @ApiProperty({ nullable: true, enum: APPLICANT_GENDERS }) gender!: ApplicantGender | null;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) personalDataErasedAt!: string | null;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
  @ApiProperty({ type: [ConsentExportDto] }) consents!: ConsentExportDto[];
}

export class ApplicantConsultationPageDto {
  @ApiProperty({ type: [ApplicantConsultationDto] }) items!: ApplicantConsultationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AgencyLeadQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONSULTATION_STATUSES })
  @IsOptional()
  @IsIn(CONSULTATION_STATUSES)
  status?: ConsultationStatus;
}

export class UpdateLeadDto {
  @ApiProperty({ enum: ['contacted', 'closed'] })
  @IsIn(['contacted', 'closed'])
  status!: 'contacted' | 'closed';

  @ApiPropertyOptional({ enum: CONSULTATION_OUTCOMES, description: 'Required when closing' })
  @IsOptional()
  @IsIn(CONSULTATION_OUTCOMES)
  outcome?: ConsultationOutcome;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

/**
 * A lead as its agency sees it. The tracking code is the job seeker's alone: with it and the phone anyone
 * can follow or review the request, so the agency gets the request id instead.
 */
export class AgencyLeadDto {
  @ApiProperty() id!: string;
  @ApiProperty() jobOrderId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null once withdrawn or erased' })
  fullName!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'E.164; null once withdrawn or erased' })
  phone!: string | null;
  @ApiProperty() province!: string;
  @ApiProperty() birthYear!: number;
  @ApiProperty({ nullable: true, enum: APPLICANT_GENDERS }) gender!: ApplicantGender | null;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
  @ApiProperty({ enum: CONSULTATION_STATUSES }) status!: ConsultationStatus;
  @ApiProperty({ nullable: true, enum: CONSULTATION_OUTCOMES }) outcome!: ConsultationOutcome | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) assignedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) firstContactedAt!: string | null;
}

export class AgencyLeadPageDto {
  @ApiProperty({ type: [AgencyLeadDto] }) items!: AgencyLeadDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class WebhookSettingsDto {
  @ApiProperty({ example: 'https://agency.example.vn/xkld/leads' })
  @IsString()
  @MaxLength(500)
  url!: string;

  @ApiProperty({ description: 'Shared secret for X-Signature (HMAC-SHA256 of the raw body), 16-200 chars' })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret!: string;
}
