import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export const REVIEW_COMMENT_MAX = 1000;

export class ReviewRatingsDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'Fees as promised' })
  @IsInt()
  @Min(1)
  @Max(5)
  fees!: number;

  @ApiProperty({ minimum: 1, maximum: 5, description: 'Contract explained' })
  @IsInt()
  @Min(1)
  @Max(5)
  contract!: number;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  training!: number;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  responsiveness!: number;
}

export class CreateReviewDto {
  @ApiProperty({ type: ReviewRatingsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ReviewRatingsDto)
  ratings!: ReviewRatingsDto;

  @ApiPropertyOptional({ maxLength: REVIEW_COMMENT_MAX, description: 'Phone numbers in it are masked' })
  @IsOptional()
  @IsString()
  @MaxLength(REVIEW_COMMENT_MAX)
  comment?: string;
}

export class ReviewDto {
  @ApiProperty() trackingCode!: string;
  @ApiProperty({ type: ReviewRatingsDto }) ratings!: ReviewRatingsDto;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}
