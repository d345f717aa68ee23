import { LegalCapsDto, LegalCapsQueryDto, LegalCapsService } from '@app/compliance';
import { negotiateLanguage } from '@app/core';
import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { ApiProblems } from '../openapi';

@ApiTags('compliance')
@Controller('compliance')
export class ComplianceCapsController {
  constructor(private readonly caps: LegalCapsService) {}

  @Get('caps')
  @Header('vary', 'Accept-Language')
  @ApiProblems({ 422: ['EXCHANGE_RATE_MISSING'] })
  @ApiOkResponse({
    type: LegalCapsDto,
    description:
      'The legal caps for a case: the maximum service fee, deposit and brokerage in VND and the minimum salary, ' +
      'each with its rule and legal source, by the rules and exchange rates the publish check uses. Unknown ' +
      'country, programme or industry: 400 VALIDATION_FAILED; a currency without a configured rate: 422 ' +
      'EXCHANGE_RATE_MISSING',
  })
  get(@Query() query: LegalCapsQueryDto, @Req() request: FastifyRequest): Promise<LegalCapsDto> {
    // The rules' descriptions are words for people: in the language problems are given in.
    return this.caps.caps(query, negotiateLanguage(request.headers['accept-language']));
  }
}
