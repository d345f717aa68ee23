import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsString, Matches, MaxLength } from 'class-validator';

import { JobOrderFiltersDto } from '@app/job-orders';

/** A saved search: the filters of `GET /job-orders`, with the same names and limits, each optional. */
export class CreateJobAlertDto extends JobOrderFiltersDto {
  @ApiProperty({
    example: '0912345678',
    description: 'The phone the texts go to: the one the applicant token proves (403 PHONE_NOT_PROVEN else)',
  })
  @IsString()
  @MaxLength(30)
  phone!: string;

  @ApiProperty({
    enum: [true],
    description: 'Consent to keep the phone and the search and to text at most once a day about new orders',
  })
  @Equals(true)
  consent!: true;
}

export class JobAlertConsentDto {
  @ApiProperty({ example: '2026-12' }) version!: string;
  @ApiProperty({ type: String, format: 'date-time' }) grantedAt!: string;
}

export class JobAlertDto {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) q!: string | null;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
  @ApiProperty({ nullable: true, type: String }) industry!: string | null;
  @ApiProperty({ nullable: true, type: String }) program!: string | null;
  @ApiProperty({ nullable: true, enum: ['male', 'female'] }) gender!: 'male' | 'female' | null;
  @ApiProperty({ nullable: true, type: Number }) birthYear!: number | null;
  @ApiProperty({ nullable: true, type: Number }) salaryMinVnd!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxCostVnd!: number | null;
  @ApiProperty({ type: JobAlertConsentDto }) consent!: JobAlertConsentDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

export class JobAlertPageDto {
  @ApiProperty({ type: [JobAlertDto], description: 'The active alerts, newest first (5 at most)' })
  items!: JobAlertDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Always null: five alerts fit in one page' })
  nextCursor!: string | null;
}

export class StopJobAlertsDto {
  @ApiProperty({ description: 'The token of the stop link a text carried' })
  @IsString()
  @Matches(/^[0-9a-z]{1,13}\.[A-Za-z0-9_-]{10}$/)
  token!: string;
}

export class JobAlertsStoppedDto {
  @ApiProperty({ description: 'How many active alerts of the phone this ended (0 if none was left)' })
  stopped!: number;
}

export class InboundSmsDto {
  @ApiProperty({ example: '+84912345678', description: 'The sender, as the provider gives it' })
  @IsString()
  @MaxLength(30)
  from!: string;

  @ApiProperty({ example: 'STOP' })
  @IsString()
  @MaxLength(1000)
  text!: string;
}

export class InboundSmsHandledDto {
  @ApiProperty({ enum: ['stopped', 'ignored'], description: '`stopped`: STOP (or HUY, DUNG, TU CHOI)' })
  action!: 'stopped' | 'ignored';
}

export class JobAlertStopExportDto {
  @ApiProperty({ enum: ['api', 'web', 'link', 'sms'] }) via!: string;
  @ApiProperty({ nullable: true, type: String }) alertId!: string | null;
  @ApiProperty() alertsEnded!: number;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export class JobAlertMessageExportDto {
  @ApiProperty({ type: String, format: 'date', description: 'Vietnam calendar day' }) day!: string;
  @ApiProperty() alertId!: string;
  @ApiProperty() jobOrderId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) sentAt!: string;
}

export class JobAlertMatchExportDto {
  @ApiProperty() alertId!: string;
  @ApiProperty() jobOrderId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) matchedAt!: string;
}

export class JobAlertConsentExportDto extends JobAlertConsentDto {
  @ApiProperty({ enum: ['api', 'web'] }) channel!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The consent text as it was shown' })
  text!: string | null;
}

export class JobAlertExportDto extends JobAlertDto {
  @ApiProperty({ type: JobAlertConsentExportDto }) declare consent: JobAlertConsentExportDto;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) stoppedAt!: string | null;
  @ApiProperty({ nullable: true, enum: ['api', 'web', 'link', 'sms'] }) stoppedVia!: string | null;
}

/** What was matched, sent and stopped for a phone's job alerts. */
export class JobAlertHistoryDto {
  @ApiProperty({ type: [JobAlertMatchExportDto] }) matches!: JobAlertMatchExportDto[];
  @ApiProperty({ type: [JobAlertMessageExportDto] }) messages!: JobAlertMessageExportDto[];
  @ApiProperty({ type: [JobAlertStopExportDto] }) stops!: JobAlertStopExportDto[];
}
