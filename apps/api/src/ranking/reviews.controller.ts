import { Applicant, ApplicantGuard, CurrentApplicant } from '@app/applicants';
import { PersonalDataCipher, RateLimiter } from '@app/core';
import { CreateReviewDto, ReviewDto, ReviewsService } from '@app/ranking';
import { Body, Controller, Ip, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

const HOUR = 3600;
const REVIEWS_PER_IP_PER_HOUR = 10;

@ApiTags('consultations')
@Controller('consultations')
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly limiter: RateLimiter,
    private readonly cipher: PersonalDataCipher,
  ) {}

  @Post(':trackingCode/review')
  @ApiProblems({
    403: ['FORBIDDEN'],
    409: ['REVIEW_NOT_ALLOWED_YET', 'ALREADY_REVIEWED'],
    429: ['RATE_LIMITED'],
  })
  @UseGuards(ApplicantGuard)
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: ReviewDto })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no valid applicant token' })
  @ApiForbiddenResponse({ description: "FORBIDDEN: the applicant token is another phone's" })
  @ApiNotFoundResponse({ description: 'Unknown tracking code' })
  @ApiConflictResponse({
    description: 'REVIEW_NOT_ALLOWED_YET before the agency made contact; ALREADY_REVIEWED',
  })
  async create(
    @Param('trackingCode') trackingCode: string,
    @Body() dto: CreateReviewDto,
    @CurrentApplicant() applicant: Applicant,
    @Ip() ip: string,
  ): Promise<ReviewDto> {
    await this.limiter.consume(
      [{ key: `reviews:ip:${this.cipher.lookupHash(`ip:${ip}`)}`, limit: REVIEWS_PER_IP_PER_HOUR }],
      HOUR,
    );
    return this.reviews.create(trackingCode, dto, { ip, phoneHash: applicant.phoneHash });
  }
}
