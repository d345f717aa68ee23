import { PageQueryDto } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

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
