import { RateLimiter } from '@app/core';
import { CreateReviewDto, ReviewDto, ReviewsService } from '@app/ranking';
import { Body, Controller, Ip, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiTags,
} from '@nestjs/swagger';

import { NoAgencyStaffGuard } from './no-agency-staff.guard';

const HOUR = 3600;
const REVIEWS_PER_IP_PER_HOUR = 10;

@ApiTags('consultations')
@Controller('consultations')
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly limiter: RateLimiter,
  ) {}

  @Post(':trackingCode/review')
  @UseGuards(NoAgencyStaffGuard)
  @ApiCreatedResponse({ type: ReviewDto })
  @ApiNotFoundResponse({ description: 'Unknown code, or not the phone used for the request' })
  @ApiConflictResponse({
    description: 'REVIEW_NOT_ALLOWED_YET before the agency made contact; ALREADY_REVIEWED',
  })
  @ApiForbiddenResponse({ description: 'REVIEW_BY_AGENCY_STAFF: sent with an agency account token' })
  async create(
    @Param('trackingCode') trackingCode: string,
    @Body() dto: CreateReviewDto,
    @Ip() ip: string,
  ): Promise<ReviewDto> {
    await this.limiter.consume([{ key: `reviews:ip:${ip}`, limit: REVIEWS_PER_IP_PER_HOUR }], HOUR);
    return this.reviews.create(trackingCode, dto, { ip });
  }
}
