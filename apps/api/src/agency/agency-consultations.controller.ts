import { AuthUser, CurrentUser, Roles, StaffController } from '@app/accounts';
import {
  AgencyLeadDto,
  AgencyLeadPageDto,
  AgencyLeadQueryDto,
  AgencyLeadsService,
  UpdateLeadDto,
  WebhookSettingsDto,
} from '@app/consultations';
import { Page } from '@app/core';
import { Body, Get, HttpCode, HttpStatus, Param, Patch, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

/** The agency workspace: leads and their webhook. Every query is scoped to the caller's agency. */
@StaffController('agency', 'agency', 'agency_admin', 'agency_staff')
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
}
