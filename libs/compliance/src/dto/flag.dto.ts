import { IsText, PageQueryDto } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';

import { FLAG_SOURCES, FLAG_STATUSES, FlagSource, FlagStatus } from '../flag.entity';

export class FlagQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: FLAG_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(FLAG_STATUSES)
  status: FlagStatus = 'open';

  @ApiPropertyOptional({ enum: FLAG_SOURCES })
  @IsOptional()
  @IsIn(FLAG_SOURCES)
  source?: FlagSource;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  jobOrderId?: string;
}

export const FLAG_DECISIONS = ['upheld', 'dismissed'] as const;
export type FlagDecision = (typeof FLAG_DECISIONS)[number];

export class ResolveFlagDto {
  @ApiProperty({
    enum: FLAG_DECISIONS,
    description: 'upheld: the finding stands (it counts against the agency)',
  })
  @IsIn(FLAG_DECISIONS)
  decision!: FlagDecision;

  @ApiProperty({ description: "The regulator's note" })
  @IsText(3, 2000)
  note!: string;
}

export class FlagOrderDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
}

export class FlagAgencyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class FlagDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: FLAG_SOURCES }) source!: FlagSource;
  @ApiProperty({
    example: 'SUSPICIOUS_WORDING',
    description: 'A rule code, SUSPICIOUS_WORDING, REPORT or UNLICENSED_RECRUITER',
  })
  code!: string;
  @ApiProperty({ enum: FLAG_STATUSES }) status!: FlagStatus;
  @ApiProperty({
    type: FlagOrderDto,
    nullable: true,
    description: "Null for a recruiter's flag (source unlicensed_recruiter), which names no order",
  })
  jobOrder!: FlagOrderDto | null;
  @ApiProperty({ type: FlagAgencyDto, nullable: true, description: "Null for a recruiter's flag" })
  agency!: FlagAgencyDto | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "What was found or reported; a recruiter's flag holds { kind: phone | link | name, key }, its reports " +
      'are in GET /regulator/recruiter-reports',
  })
  details!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: "A reporter's call-back number, if left" })
  contactPhone!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) resolvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) resolutionNote!: string | null;
}

export class FlagPageDto {
  @ApiProperty({ type: [FlagDto] }) items!: FlagDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
