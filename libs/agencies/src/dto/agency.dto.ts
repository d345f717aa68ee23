import { IsText, PageQueryDto } from '@app/core';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';

import { LICENSE_STATUSES, LicenseStatus } from '../agency.entity';

/** An agency's hotline as people write it: 6–20 digits, spaces and `+ ( ) . -`. */
export function IsAgencyHotline(): PropertyDecorator {
  return Matches(/^[0-9 +().-]{6,20}$/);
}

/** An agency's website: an http or https address of at most 200 characters. */
export function IsAgencyWebsite(): PropertyDecorator {
  return applyDecorators(MaxLength(200), IsUrl({ protocols: ['http', 'https'], require_protocol: true }));
}

export class AgencyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Name, with or without diacritics' })
  @IsOptional()
  @IsText(1, 100)
  q?: string;

  @ApiPropertyOptional({ description: 'Exact licence number' })
  @IsOptional()
  @IsText(0, 60)
  licenseNumber?: string;

  @ApiPropertyOptional({ description: 'Head-office province, new or old name' })
  @IsOptional()
  @IsText(0, 80)
  province?: string;
}

/** The regulators' view: every agency, filterable by licence status. */
export class RegulatorAgencyQueryDto extends AgencyQueryDto {
  @ApiPropertyOptional({ enum: LICENSE_STATUSES })
  @IsOptional()
  @IsIn(LICENSE_STATUSES)
  licenseStatus?: LicenseStatus;
}

export class ProvinceRefDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class AgencyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() licenseNumber!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) licenseIssuedOn!: string | null;
  @ApiProperty({ enum: LICENSE_STATUSES }) licenseStatus!: LicenseStatus;
  @ApiProperty({ nullable: true, type: String, description: "The regulator's reason for the current status" })
  licenseStatusReason!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) licenseStatusChangedAt!: string | null;
  @ApiProperty({ type: ProvinceRefDto, nullable: true }) province!: ProvinceRefDto | null;
  @ApiProperty({ nullable: true, type: String }) hotline!: string | null;
  @ApiProperty({ nullable: true, type: String }) website!: string | null;
  @ApiProperty({ nullable: true, type: Number }) foundedYear!: number | null;
  @ApiProperty() isPublicSendingCentre!: boolean;
}

export class AgencyDetailDto extends AgencyDto {
  @ApiProperty() enterpriseCode!: string;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({ description: 'Published orders visible to the public' }) openOrders!: number;
}

export class AgencyPageDto {
  @ApiProperty({ type: [AgencyDto] }) items!: AgencyDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

/**
 * What an agency may correct about itself after sign-up: how the public reaches it. Its name, licence and
 * enterprise code are the regulator's record and change only through it. A field left out stays as it is;
 * an empty string clears it.
 */
export class UpdateAgencyProfileDto {
  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsText(0, 300)
  address?: string;

  @ApiPropertyOptional({
    example: '024 3333 8888',
    description: '"Check before you pay" finds the agency by this number',
  })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== '')
  @IsAgencyHotline()
  hotline?: string;

  @ApiPropertyOptional({ example: 'https://namchau.example.vn', maxLength: 200 })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== '')
  @IsAgencyWebsite()
  website?: string;
}
