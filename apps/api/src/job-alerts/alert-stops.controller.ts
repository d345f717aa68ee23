import { KEEP_RAW_BODY, rawBodyOf } from '@app/core';
import {
  InboundSmsDto,
  InboundSmsHandledDto,
  JobAlertsService,
  JobAlertsStoppedDto,
  StopJobAlertsDto,
} from '@app/job-alerts';
import { Body, Controller, Headers, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { ApiProblems } from '../openapi';

/** The OpenAPI security scheme of the SMS provider's signed calls (`X-Signature`). */
export const SMS_SIGNATURE_SCHEME = 'sms-signature';

/** Ending job alerts without signing in: the signed link in a text, and STOP sent back by SMS. */
@ApiTags('job alerts')
@Controller()
export class AlertStopsController {
  constructor(private readonly alerts: JobAlertsService) {}

  @Post('alerts/stop')
  @HttpCode(HttpStatus.OK)
  @ApiProblems({ 404: ['NOT_FOUND'] })
  @ApiOkResponse({
    type: JobAlertsStoppedDto,
    description:
      "The token of a text's stop link ends every active alert of that phone (recorded as a stop by link); " +
      'a token this server did not sign is a 404',
  })
  stop(@Body() dto: StopJobAlertsDto): Promise<JobAlertsStoppedDto> {
    return this.alerts.stopByToken(dto.token);
  }

  @Post('sms/inbound')
  @HttpCode(HttpStatus.OK)
  @RouteConfig({ [KEEP_RAW_BODY]: true })
  @ApiProblems({ 401: ['INVALID_SIGNATURE'] })
  @ApiSecurity(SMS_SIGNATURE_SCHEME)
  @ApiOkResponse({
    type: InboundSmsHandledDto,
    description:
      "The SMS provider's call for a text we received: STOP ends every alert of the sender's phone",
  })
  inbound(
    @Req() request: FastifyRequest,
    @Headers('x-signature') signature: string | undefined,
    @Body() dto: InboundSmsDto,
  ): Promise<InboundSmsHandledDto> {
    return this.alerts.handleInboundSms(rawBodyOf(request), signature, dto);
  }
}
