import { PageQueryDto } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';

const MAX_WORKERS = 100_000;
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;

export class CreateDepartureReportDto {
  @ApiProperty({ example: '2023-05', description: 'Month of departure, YYYY-MM; not in the future' })
  @Matches(MONTH)
  month!: string;

  @ApiProperty({ example: 'JP', description: 'Destination, ISO 3166-1 alpha-2' })
  @Transform(upperCase)
  @Matches(/^[A-Z]{2}$/)
  country!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_WORKERS })
  @IsInt()
  @Min(0)
  @Max(MAX_WORKERS)
  total!: number;

  @ApiProperty({ minimum: 0, description: 'Of whom women; at most total' })
  @IsInt()
  @Min(0)
  @Max(MAX_WORKERS)
  women!: number;
}

export class DepartureReportDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2023-05' }) month!: string;
  @ApiProperty({ example: 'JP' }) country!: string;
  @ApiProperty() total!: number;
  @ApiProperty() women!: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class DepartureReportQueryDto extends PageQueryDto {}

export class DepartureReportPageDto {
  @ApiProperty({ type: [DepartureReportDto] }) items!: DepartureReportDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class DepartureStatsQueryDto {
  @ApiProperty({ example: '2023-05', description: 'YYYY-MM' })
  @Matches(MONTH)
  month!: string;
}

export class CountryDeparturesDto {
  @ApiProperty({ example: 'JP' }) country!: string;
  @ApiProperty() total!: number;
  @ApiProperty() women!: number;
}

export class DepartureStatsDto {
  @ApiProperty({ example: '2023-05' }) month!: string;
  @ApiProperty() total!: number;
  @ApiProperty() women!: number;
  @ApiProperty({ type: [CountryDeparturesDto], description: 'Largest market first' })
  byCountry!: CountryDeparturesDto[];
}
