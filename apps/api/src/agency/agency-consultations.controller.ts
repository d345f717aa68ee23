import { AuthUser, CurrentUser, JwtAuthGuard, Roles, RolesGuard } from '@app/accounts';
import {
  AgencyLeadDto,
  AgencyLeadPageDto,
  AgencyLeadQueryDto,
  AgencyLeadsService,
  UpdateLeadDto,
  WebhookSettingsDto,
} from '@app/consultations';
import { Page } from '@app/core';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

/** The agency workspace: leads and their webhook. Every query is scoped to the caller's agency. */
@ApiTags('agency')
@ApiBearerAuth()
@Controller('agency')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('agency_admin', 'agency_staff')
export class AgencyConsultationsController {
  constructor(private readonly leads: AgencyLeadsService) {}

  @Get('consultations')
  @ApiOkResponse({ type: AgencyLeadPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: AgencyLeadQueryDto): Promise<Page<AgencyLeadDto>> {
    return this.leads.listLeads(user, user.agencyId!, query);
  }

  @Patch('consultations/:id')
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
