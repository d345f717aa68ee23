import { LICENSE_STATUSES, LicenseStatus } from '@app/agencies';
import { FLAG_STATUSES, FlagStatus } from '@app/compliance';
import { IsText, PageQueryDto } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

import { RECRUITER_KEY_KINDS, RecruiterKeyKind } from '../recruiter-keys';
import { RECRUITER_CHANNELS, RecruiterChannel } from '../recruiter-report.entity';

const MAX_VND = 100_000_000_000;
const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;

export class RecruiterCheckQueryDto {
  @ApiPropertyOptional({
    example: '0912 345 678',
    description:
      'A Vietnamese mobile, landline or 1800/1900 number, in any usual form. Exactly one of phone and q',
  })
  @IsOptional()
  @IsText(1, 30)
  phone?: string;

  @ApiPropertyOptional({
    example: 'm.facebook.com/xkld.gia.re?ref=bookmarks',
    description:
      'A name (accent-insensitive, every word must match), or a Facebook, Zalo or other link; a phone number ' +
      'or zalo.me/<number> here is looked up as that number',
  })
  @IsOptional()
  @IsText(2, 500)
  q?: string;
}

export class CheckedAgencyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() licenseNumber!: string;
  @ApiProperty({ enum: LICENSE_STATUSES }) licenseStatus!: LicenseStatus;
  @ApiProperty({ nullable: true, type: String, description: 'The registered hotline as the agency wrote it' })
  hotline!: string | null;
  @ApiProperty({
    enum: ['hotline', 'name'],
    description: 'What matched: its registered hotline, or its name',
  })
  matchedBy!: 'hotline' | 'name';
}

export class RecruiterReportsSummaryDto {
  @ApiProperty({
    description: 'Public reports naming this number, link or name (not verified by a regulator)',
  })
  count!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'The latest of them' })
  lastAt!: string | null;
}

export class RecruiterCheckDto {
  @ApiProperty({ enum: RECRUITER_KEY_KINDS, description: 'How the input was read' }) kind!: RecruiterKeyKind;
  @ApiProperty({
    example: '+84912345678',
    description:
      'The canonical form looked up: E.164 for a number, facebook.com/x for a link, folded for a name',
  })
  key!: string;
  @ApiProperty({
    description: 'Whether it is the registered hotline or name of an agency whose licence is active',
  })
  licensed!: boolean;
  @ApiProperty({
    type: [CheckedAgencyDto],
    description: 'Agencies it matches, whatever their licence status (at most 20)',
  })
  agencies!: CheckedAgencyDto[];
  @ApiProperty({ type: RecruiterReportsSummaryDto }) reports!: RecruiterReportsSummaryDto;
}

export class CreateRecruiterReportDto {
  @ApiPropertyOptional({ example: 'Cô Lan XKLĐ', description: 'The name the recruiter uses' })
  @IsOptional()
  @IsText(2, 200)
  recruiterName?: string;

  @ApiPropertyOptional({
    example: '0912 345 678',
    description: 'Their number: mobile, landline or 1800/1900',
  })
  @IsOptional()
  @IsText(1, 30)
  recruiterPhone?: string;

  @ApiPropertyOptional({
    example: 'https://m.facebook.com/xkld.gia.re',
    description: 'Their Facebook page, Zalo (zalo.me/…) or other link',
  })
  @IsOptional()
  @IsText(4, 500)
  recruiterLink?: string;

  @ApiPropertyOptional({ enum: RECRUITER_CHANNELS, description: 'How they reached the reporter' })
  @IsOptional()
  @IsIn(RECRUITER_CHANNELS)
  channel?: RecruiterChannel;

  @ApiPropertyOptional({ example: 'JP', description: 'The destination they promised, ISO 3166-1 alpha-2' })
  @IsOptional()
  @Transform(upperCase)
  @Matches(/^[A-Z]{2}$/)
  country?: string;

  @ApiProperty({
    example: 'Đơn hàng chế biến thực phẩm ở Nhật, lương 35 triệu, bay sau 3 tháng',
    description: 'What they promised: the job, the country, the salary, the departure',
  })
  @IsText(3, 2000)
  promised!: string;

  @ApiPropertyOptional({ example: 150_000_000, description: 'What they asked for, in đồng' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VND)
  askedAmountVnd?: number;

  @ApiPropertyOptional({
    example: 20_000_000,
    description: 'What the reporter has paid them already, in đồng',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VND)
  paidAmountVnd?: number;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Anything else: how to pay, to whom, what happened' })
  @IsOptional()
  @IsText(0, 2000)
  detail?: string;

  @ApiPropertyOptional({
    example: '0987 654 321',
    description: "The reporter's Vietnamese mobile number, for a regulator to call back; needs consent: true",
  })
  @IsOptional()
  @IsText(1, 30)
  reporterPhone?: string;

  @ApiPropertyOptional({
    description:
      'true: the reporter agrees that regulators keep their number and call them about this report',
  })
  @IsOptional()
  @IsBoolean()
  consent?: boolean;
}

export class RecruiterReportAcceptedDto {
  @ApiProperty({ description: "The report's id" }) id!: string;
  @ApiProperty({ example: 'received' }) status!: 'received';
}

export class RecruiterReportGroupQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: RECRUITER_KEY_KINDS,
    description: 'Only groups keyed by a phone, a link or a name',
  })
  @IsOptional()
  @IsIn(RECRUITER_KEY_KINDS)
  kind?: RecruiterKeyKind;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10000,
    default: 1,
    description: 'Only groups with this many reports',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  minReports: number = 1;
}

export class RecruiterReportSampleDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) recruiterName!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Canonical form' }) recruiterPhone!:
    | string
    | null;
  @ApiProperty({ nullable: true, type: String, description: 'Canonical form' }) recruiterLink!: string | null;
  @ApiProperty({ nullable: true, enum: RECRUITER_CHANNELS, type: String }) channel!: RecruiterChannel | null;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
  @ApiProperty() promised!: string;
  @ApiProperty({ nullable: true, type: Number }) askedAmountVnd!: number | null;
  @ApiProperty({ nullable: true, type: Number }) paidAmountVnd!: number | null;
  @ApiProperty({ nullable: true, type: String }) detail!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The reporter's call-back number, if left with consent",
  })
  reporterPhone!: string | null;
}

export class RecruiterReportGroupDto {
  @ApiProperty({ example: '+84912345678', description: 'The canonical phone, link or name the reports name' })
  key!: string;
  @ApiProperty({ enum: RECRUITER_KEY_KINDS }) kind!: RecruiterKeyKind;
  @ApiProperty({ description: 'How many reports name it' }) reports!: number;
  @ApiProperty({ type: String, format: 'date-time' }) firstAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) lastAt!: string;
  @ApiProperty({ description: 'The flag of the latest report (source unlicensed_recruiter)' })
  flagId!: string;
  @ApiProperty({ enum: FLAG_STATUSES }) flagStatus!: FlagStatus;
  @ApiProperty({ type: [String], description: 'Names the reports give (at most 10)' }) names!: string[];
  @ApiProperty({ type: [String], description: 'Numbers the reports give (at most 10)' }) phones!: string[];
  @ApiProperty({ type: [String], description: 'Links the reports give (at most 10)' }) links!: string[];
  @ApiProperty({
    type: [CheckedAgencyDto],
    description: "Agencies whose registered hotline is one of the group's numbers",
  })
  registeredAgencies!: CheckedAgencyDto[];
  @ApiProperty({ type: [RecruiterReportSampleDto], description: 'The latest 3 reports' })
  samples!: RecruiterReportSampleDto[];
}

export class RecruiterReportGroupPageDto {
  @ApiProperty({ type: [RecruiterReportGroupDto] }) items!: RecruiterReportGroupDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

/** A report among its reporter's data (`GET /me/data`), when they left their number for a call back. */
export class ReporterReportExportDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) recruiterName!: string | null;
  @ApiProperty({ type: String, nullable: true }) recruiterPhone!: string | null;
  @ApiProperty({ type: String, nullable: true }) recruiterLink!: string | null;
  @ApiProperty() promised!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When the reporter agreed that regulators keep their number and call them back',
  })
  callBackConsentAt!: string;
}
