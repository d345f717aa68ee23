import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

export class OpenDataQueryDto {
  @ApiPropertyOptional({
    example: '2026-12-01',
    description:
      "A past day's snapshot (Vietnam time), as listed in the catalogue; without it, the data as they are now",
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  date?: string;
}

export class OpenDataTextsDto {
  @ApiProperty() vi!: string;
  @ApiProperty() en!: string;
}

export class OpenDataLicenseDto {
  @ApiProperty({ example: 'CC-BY-4.0' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uri' }) url!: string;
}

export class OpenDataFormatDto {
  @ApiProperty({ enum: ['csv', 'json'] }) format!: string;
  @ApiProperty({ example: 'text/csv; charset=utf-8; header=present' }) mediaType!: string;
  @ApiProperty({ example: '/api/v1/open-data/job-orders.csv' }) href!: string;
}

export class OpenDataFieldDto {
  @ApiProperty({ example: 'salary_vnd_estimate' }) name!: string;
  @ApiProperty({
    enum: ['text', 'code', 'integer', 'decimal', 'date', 'month', 'date-time'],
    description:
      'text: free text (CSV cells starting with = + - @ are prefixed with an apostrophe); code: an identifier ' +
      'or enumerated value; integer; decimal: a decimal number with a point; date: YYYY-MM-DD; month: ' +
      'YYYY-MM; date-time: UTC ISO 8601',
  })
  type!: string;
  @ApiProperty({ description: 'Whether the value may be missing (empty in CSV, null in JSON)' })
  nullable!: boolean;
  @ApiProperty({ type: OpenDataTextsDto }) description!: OpenDataTextsDto;
}

export class OpenDataSnapshotFileDto {
  @ApiProperty({ enum: ['csv', 'json'] }) format!: string;
  @ApiProperty({ example: '/api/v1/open-data/job-orders.csv?date=2026-12-01' }) href!: string;
  @ApiProperty({ description: 'Size of the file' }) bytes!: number;
  @ApiProperty({ description: 'Size sent to clients that accept gzip' }) gzipBytes!: number;
  @ApiProperty({ description: 'SHA-256 of the file, hex' }) sha256!: string;
}

export class OpenDataSnapshotDto {
  @ApiProperty({ format: 'date', example: '2026-12-01' }) date!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() rows!: number;
  @ApiProperty({ type: [OpenDataSnapshotFileDto] }) files!: OpenDataSnapshotFileDto[];
}

export class OpenDataDatasetDto {
  @ApiProperty({ enum: ['agencies', 'departures', 'job-orders'] }) name!: string;
  @ApiProperty({ type: OpenDataTextsDto }) title!: OpenDataTextsDto;
  @ApiProperty({ type: OpenDataTextsDto }) description!: OpenDataTextsDto;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the data last changed; null when not known (the live files are always current)',
  })
  updatedAt!: string | null;
  @ApiProperty({ type: [OpenDataFormatDto] }) formats!: OpenDataFormatDto[];
  @ApiProperty({ type: [OpenDataFieldDto], description: 'The data dictionary, in column order' })
  fields!: OpenDataFieldDto[];
  @ApiProperty({ type: [OpenDataSnapshotDto], description: 'Daily snapshots kept, newest first' })
  snapshots!: OpenDataSnapshotDto[];
}

export class OpenDataCatalogueDto {
  @ApiProperty({ type: OpenDataTextsDto }) title!: OpenDataTextsDto;
  @ApiProperty({ type: OpenDataLicenseDto }) license!: OpenDataLicenseDto;
  @ApiProperty({ type: OpenDataTextsDto, description: 'How to credit the data' })
  attribution!: OpenDataTextsDto;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty() snapshotRetentionDays!: number;
  @ApiProperty({ type: [OpenDataDatasetDto] }) datasets!: OpenDataDatasetDto[];
}
