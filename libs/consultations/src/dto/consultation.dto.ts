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

export const WEBHOOK_STATES = ['not_set', 'healthy', 'failing', 'circuit_open'] as const;
export type WebhookState = (typeof WEBHOOK_STATES)[number];

export class WebhookErrorDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'The X-Delivery-Id of the attempt' }) deliveryId!: string;
  @ApiProperty({ example: 'consultation.assigned' }) event!: string;
  @ApiProperty({
    description: 'What went wrong, never the answer’s body',
    example: 'no answer within 3000 ms',
  })
  error!: string;
}

export class WebhookCircuitDto {
  @ApiProperty({
    enum: ['closed', 'open'],
    description:
      'closed: deliveries flow; open: they are parked after consecutive failures, and one probe (the oldest ' +
      'parked delivery) is sent every probe interval; its success closes the circuit',
  })
  state!: 'closed' | 'open';
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) openedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextProbeAt!: string | null;
  @ApiProperty() consecutiveFailures!: number;
  @ApiProperty({ description: 'Consecutive failures that open the circuit' }) failureThreshold!: number;
}

export class WebhookBacklogDto {
  @ApiProperty({ description: 'Events not delivered yet (parked while the circuit is open)' })
  pending!: number;
  @ApiProperty({ description: 'Of those, events tried at least once' }) retrying!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) oldestCreatedAt!: string | null;
}

export class WebhookStatusDto {
  @ApiProperty({ nullable: true, type: String }) url!: string | null;
  @ApiProperty({
    enum: WEBHOOK_STATES,
    description:
      'healthy: the last attempt succeeded; failing: the last attempts failed but the circuit is closed; ' +
      'circuit_open: deliveries are parked until a probe succeeds',
  })
  state!: WebhookState;
  @ApiProperty({ type: WebhookCircuitDto, nullable: true }) circuit!: WebhookCircuitDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSuccessAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastFailureAt!: string | null;
  @ApiProperty({ type: [WebhookErrorDto], description: 'The last 10 failures, newest first' })
  recentErrors!: WebhookErrorDto[];
  @ApiProperty({ type: WebhookBacklogDto }) backlog!: WebhookBacklogDto;
}

export class WebhookTestResultDto {
  @ApiProperty({ description: 'The endpoint answered 2xx' }) delivered!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'The status it answered' }) status!:
    | number
    | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ description: 'X-Delivery-Id of the test event', example: 'webhook.test:5f0c…' })
  deliveryId!: string;
}

export class WebhookRedeliveryDto {
  @ApiProperty({ description: 'Events waiting, now all due (an open circuit probes at once)' })
  pending!: number;
}
