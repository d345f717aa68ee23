import { AppConfig, APP_CONFIG, normalizeVietnamesePhone, ProblemException, RateLimiter } from '@app/core';
import {
  ConsultationAcceptedDto,
  ConsultationsService,
  ConsultationTrackingDto,
  CreateConsultationDto,
  TrackConsultationQueryDto,
} from '@app/consultations';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  Ip,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const HOUR = 3600;
const TRACKING_LOOKUPS_PER_IP_PER_HOUR = 120;

@ApiTags('consultations')
@Controller('consultations')
export class ConsultationsController {
  constructor(
    private readonly consultations: ConsultationsService,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body → the same answer' })
  @ApiAcceptedResponse({ type: ConsultationAcceptedDto, description: 'Durably stored; processing continues' })
  async create(
    @Body() dto: CreateConsultationDto,
    @Ip() ip: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ConsultationAcceptedDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ProblemException.validation([{ field: 'Idempotency-Key', constraint: 'isIdempotencyKey' }]);
    }
    const { rateLimits } = this.config;
    const limits = [{ key: `consultations:ip:${ip}`, limit: rateLimits.consultationsPerIpPerHour }];
    const phone = normalizeVietnamesePhone(dto.phone);
    if (phone) {
      limits.push({
        key: `consultations:phone:${this.consultations.phoneHash(phone)}`,
        limit: rateLimits.consultationsPerPhonePerHour,
      });
    }
    await this.limiter.consume(limits, HOUR);
    return this.consultations.accept(dto, { ip, idempotencyKey });
  }

  @Get(':trackingCode')
  @ApiOkResponse({ type: ConsultationTrackingDto })
  @ApiNotFoundResponse({ description: 'Unknown code, or not the phone used for the request' })
  async track(
    @Param('trackingCode') trackingCode: string,
    @Query() query: TrackConsultationQueryDto,
    @Ip() ip: string,
  ): Promise<ConsultationTrackingDto> {
    await this.limiter.consume([{ key: `tracking:ip:${ip}`, limit: TRACKING_LOOKUPS_PER_IP_PER_HOUR }], HOUR);
    return this.consultations.track(trackingCode, query.phone);
  }
}
