import { IsText, PageQueryDto } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

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
  @IsText(3, 2000)
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
