import { ProblemException } from '@app/core';
import {
  ConsultationAcceptedDto,
  ConsultationIntakeService,
  ConsultationTrackingDto,
  CreateConsultationDto,
  TrackConsultationQueryDto,
} from '@app/consultations';
import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('consultations')
@Controller('consultations')
export class ConsultationsController {
  constructor(private readonly consultations: ConsultationIntakeService) {}

  @Post()
  @ApiProblems({
    404: ['NOT_FOUND'],
    409: ['CONFLICT'],
    422: [
      'IDEMPOTENCY_KEY_REUSED',
      'ORDER_NOT_OPEN',
      'AGENCY_NOT_ACTIVE',
      'AGE_OUT_OF_RANGE',
      'GENDER_MISMATCH',
      'LOCALITY_SUSPENDED',
    ],
    429: ['RATE_LIMITED'],
  })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body → the same answer; printable ASCII without spaces',
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]{1,200}$' },
  })
  @ApiAcceptedResponse({ type: ConsultationAcceptedDto, description: 'Durably stored; processing continues' })
  async create(
    @Body() dto: CreateConsultationDto,
    @Ip() ip: string,
    // Named as documented (Nest reads headers case-insensitively), so the document has one optional header.
    @Headers('Idempotency-Key') idempotencyKey?: string,
  ): Promise<ConsultationAcceptedDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ProblemException.validation([{ field: 'Idempotency-Key', constraint: 'isIdempotencyKey' }]);
    }
    return this.consultations.accept(dto, { ip, idempotencyKey });
  }

  @Get(':trackingCode')
  @ApiProblems({ 429: ['RATE_LIMITED'] })
  @ApiOkResponse({ type: ConsultationTrackingDto })
  @ApiNotFoundResponse({ description: 'Unknown code, or not the phone used for the request' })
  async track(
    @Param('trackingCode') trackingCode: string,
    @Query() query: TrackConsultationQueryDto,
    @Ip() ip: string,
  ): Promise<ConsultationTrackingDto> {
    return this.consultations.track(trackingCode, query.phone, ip);
  }
}
