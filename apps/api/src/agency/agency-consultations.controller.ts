import { AGENCY_ROLES, AuthUser, CurrentUser, Roles, StaffController } from '@app/accounts';
import {
  AgencyLeadDto,
  AgencyLeadPageDto,
  AgencyLeadQueryDto,
  AgencyLeadsService,
  UpdateLeadDto,
  WebhookRedeliveryDto,
  WebhookSettingsDto,
  WebhookStatusDto,
  WebhookTestResultDto,
} from '@app/consultations';
import { Page } from '@app/core';
import { Body, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

/** The agency workspace: leads and their webhook. Every query is scoped to the caller's agency. */
@StaffController('agency', AGENCY_ROLES)
export class AgencyConsultationsController {
  constructor(private readonly leads: AgencyLeadsService) {}

  @Get('consultations')
  @ApiOkResponse({ type: AgencyLeadPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: AgencyLeadQueryDto): Promise<Page<AgencyLeadDto>> {
    return this.leads.listLeads(user, user.agencyId!, query);
  }

  @Patch('consultations/:id')
  @ApiProblems({ 409: ['CONFLICT'] })
  @ApiOkResponse({ type: AgencyLeadDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateLeadDto,
  ): Promise<AgencyLeadDto> {
    return this.leads.updateLead(user, user.agencyId!, id, dto);
  }

  @Put('webhook')
  @Roles('agency_admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({
    description: 'Leads will be POSTed there, signed with X-Signature: sha256=<hex HMAC>',
  })
  async setWebhook(@CurrentUser() user: AuthUser, @Body() dto: WebhookSettingsDto): Promise<void> {
    await this.leads.setWebhook(user, user.agencyId!, dto.url, dto.secret);
  }

  @Get('webhook')
  @ApiOperation({
    summary: "The webhook's health: circuit (healthy, failing, open since), last errors and backlog",
  })
  @ApiOkResponse({ type: WebhookStatusDto })
  webhook(@CurrentUser() user: AuthUser): Promise<WebhookStatusDto> {
    return this.leads.webhookStatus(user.agencyId!);
  }

  @Post('webhook/test')
  @Roles('agency_admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Sends a signed `webhook.test` event now and answers how the endpoint answered',
    description: 'At most 10 a minute. A success makes an open circuit probe at once.',
  })
  @ApiProblems({ 404: ['NOT_FOUND'], 429: ['RATE_LIMITED'] })
  @ApiOkResponse({ type: WebhookTestResultDto })
  testWebhook(@CurrentUser() user: AuthUser): Promise<WebhookTestResultDto> {
    return this.leads.testWebhook(user.agencyId!);
  }

  @Post('webhook/redeliver')
  @Roles('agency_admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Sends the undelivered events now, parked ones included (an open circuit probes at once)',
  })
  @ApiAcceptedResponse({ type: WebhookRedeliveryDto })
  redeliver(@CurrentUser() user: AuthUser): Promise<WebhookRedeliveryDto> {
    return this.leads.redeliver(user.agencyId!);
  }
}
