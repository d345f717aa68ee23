import { PageQueryDto } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

export const LICENSE_DECISIONS = ['active', 'suspended', 'revoked'] as const;
export type LicenseDecision = (typeof LICENSE_DECISIONS)[number];

export class LicenseDecisionDto {
  @ApiProperty({
    enum: LICENSE_DECISIONS,
    description:
      'active verifies a pending agency or reinstates a suspended one; suspended and revoked hide every listing at once',
  })
  @IsIn(LICENSE_DECISIONS)
  status!: LicenseDecision;

  @ApiProperty({ description: 'Recorded with the decision and shown with the licence' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

export class CreateSuspensionDto {
  @ApiPropertyOptional({ example: 'kr_eps', description: 'At least one of program and country' })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,40}$/)
  program?: string;

  @ApiPropertyOptional({ example: 'KR' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{2}$/)
  country?: string;

  @ApiProperty({ example: ['Nghệ An', 'Hà Tĩnh'], description: 'Provinces, new or former names' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(34 + 63)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  provinces!: string[];

  @ApiProperty({ format: 'date', example: '2026-12-01', description: 'First day, Vietnam time' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from!: string;

  @ApiProperty({ format: 'date', example: '2027-06-30', description: 'Last day, Vietnam time' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to!: string;

  @ApiProperty()
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

export class SuspensionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true: only suspensions in force today', default: false })
  @IsOptional()
  @Type(() => String)
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class ProvinceNameDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class SuspensionDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) program!: string | null;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
  @ApiProperty({ type: [ProvinceNameDto] }) provinces!: ProvinceNameDto[];
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'In force today and not lifted' }) inForce!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) liftedAt!: string | null;
}

export class SuspensionPageDto {
  @ApiProperty({ type: [SuspensionDto] }) items!: SuspensionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'job_order', description: 'An entity type, or type:id for one entity' })
  @IsOptional()
  @Matches(/^[a-z_]{1,40}(:[A-Za-z0-9-]{1,64})?$/)
  entity?: string;

  @ApiPropertyOptional({ description: 'The acting user id' })
  @IsOptional()
  @IsUUID()
  actor?: string;
}

export class AuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) actorId!: string | null;
  @ApiProperty({ description: 'A role, system or public' }) actorRole!: string;
  @ApiProperty({ example: 'agency.suspend' }) action!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) before!: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) after!: Record<
    string,
    unknown
  > | null;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

export class AuditEntryPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class BrokenEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['hash_mismatch', 'prev_hash_mismatch', 'missing_entry'] }) reason!: string;
}

export class AuditVerificationDto {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ description: 'Entries verified (up to the break, if any)' }) entries!: number;
  @ApiPropertyOptional({ type: BrokenEntryDto }) brokenAt?: BrokenEntryDto;
}
