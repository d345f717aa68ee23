import { AgencyDetailDto } from '@app/agencies';
import { FastQuery, hasOnlyKeys } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;

const TOP_QUERY_FIELDS: ReadonlySet<string> = new Set(['country', 'limit']);

/** The plain cases of TopAgenciesQueryDto, as its decorators would read them; undefined for anything else. */
export function parseTopAgenciesQuery(query: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!hasOnlyKeys(query, TOP_QUERY_FIELDS)) return undefined;
  const { country, limit } = query;
  if (country !== undefined && (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country)))
    return undefined;
  if (limit !== undefined && (typeof limit !== 'string' || !/^(100|[1-9]\d?)$/.test(limit))) return undefined;
  return {
    ...(country === undefined ? {} : { country: country.toUpperCase() }),
    limit: limit === undefined ? 10 : Number(limit),
  };
}

@FastQuery(parseTopAgenciesQuery)
export class TopAgenciesQueryDto {
  @ApiPropertyOptional({
    example: 'JP',
    description: 'Destination (ISO 3166-1 alpha-2); all destinations if absent',
  })
  @IsOptional()
  @Transform(upperCase)
  @Matches(/^[A-Z]{2}$/)
  country?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 10;
}

export class RankedAgencyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() licenseNumber!: string;
  @ApiProperty() licenseStatus!: string;
}

export class ScoreComponentsDto {
  @ApiProperty({ minimum: 0, maximum: 1 }) compliance!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) responsiveness!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) outcomes!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) reviews!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) activity!: number;
}

export class SampleSizeDto {
  @ApiProperty({ description: 'Assigned requests' }) leads!: number;
  @ApiProperty({ description: 'Distinct phones counted (at most 3 per address)' }) people!: number;
  @ApiProperty({ description: 'Counted people contacted at all' }) contacted!: number;
  @ApiProperty({ description: 'Counted people first contacted within 24 h of assignment' })
  contactedWithin24h!: number;
  @ApiProperty({ nullable: true, type: Number }) medianHoursToFirstContact!: number | null;
  @ApiProperty({ description: 'Reviews counted' }) reviews!: number;
  @ApiProperty({ description: 'Workers reported departed' }) departures!: number;
  @ApiProperty({ description: 'Approved headcount of approved orders' }) approvedHeadcount!: number;
  @ApiProperty({ description: 'Published orders with an approved registration' }) openOrders!: number;
  @ApiProperty({ description: 'Compliance incidents in the last 24 months' }) incidents!: number;
}

export class RankingEntryDto {
  @ApiProperty() rank!: number;
  @ApiProperty({ type: RankedAgencyDto }) agency!: RankedAgencyDto;
  @ApiProperty({ minimum: 0, maximum: 100 }) score!: number;
  @ApiProperty({ type: ScoreComponentsDto }) components!: ScoreComponentsDto;
  @ApiProperty({ type: SampleSizeDto }) sampleSize!: SampleSizeDto;
}

export class TopAgenciesDto {
  @ApiProperty({ type: [RankingEntryDto] }) items!: RankingEntryDto[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) computedAt!: string | null;
  @ApiProperty({ description: 'The published formula, weights and parameters', type: Object })
  formula!: object;
}

export class AgencyRankDto {
  @ApiProperty({ nullable: true, type: String, description: 'Destination, or null for all destinations' })
  country!: string | null;
  @ApiProperty() rank!: number;
  @ApiProperty({ description: 'Agencies ranked in this scope' }) outOf!: number;
  @ApiProperty() score!: number;
  @ApiProperty({ type: ScoreComponentsDto }) components!: ScoreComponentsDto;
  @ApiProperty({ type: SampleSizeDto }) sampleSize!: SampleSizeDto;
}

export class AgencyRankingDto {
  @ApiProperty({
    type: AgencyRankDto,
    nullable: true,
    description: 'Null when not ranked (licence not active)',
  })
  overall!: AgencyRankDto | null;
  @ApiProperty({ type: [AgencyRankDto] }) byCountry!: AgencyRankDto[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) computedAt!: string | null;
}

export class RatingAveragesDto {
  @ApiProperty() fees!: number;
  @ApiProperty() contract!: number;
  @ApiProperty() training!: number;
  @ApiProperty() responsiveness!: number;
}

export class ReviewExcerptDto {
  @ApiProperty({ type: RatingAveragesDto }) ratings!: RatingAveragesDto;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

export class ReviewSummaryDto {
  @ApiProperty() count!: number;
  @ApiProperty({
    type: RatingAveragesDto,
    nullable: true,
    description: 'Plain averages; null without reviews',
  })
  averages!: RatingAveragesDto | null;
  @ApiProperty({ type: [ReviewExcerptDto], description: 'Latest reviews with a comment' })
  recent!: ReviewExcerptDto[];
}

export class AgencyProfileDto extends AgencyDetailDto {
  @ApiProperty({ type: AgencyRankingDto }) ranking!: AgencyRankingDto;
  @ApiProperty({ type: ReviewSummaryDto }) reviews!: ReviewSummaryDto;
}
