import { AuthUser, CurrentUser, JwtAuthGuard, Roles, RolesGuard } from '@app/accounts';
import {
  AgenciesService,
  AgencyDetailDto,
  AgencyDto,
  AgencyPageDto,
  RegulatorAgencyQueryDto,
} from '@app/agencies';
import { Page } from '@app/core';
import { LicenseDecisionDto, RegulationService } from '@app/regulation';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('regulator')
@ApiBearerAuth()
@Controller('regulator/agencies')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('regulator')
export class RegulatorAgenciesController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly regulation: RegulationService,
  ) {}

  @Get()
  @ApiOkResponse({ type: AgencyPageDto })
  list(@Query() query: RegulatorAgencyQueryDto): Promise<Page<AgencyDto>> {
    return this.agencies.search(query);
  }

  @Post(':id/license')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: AgencyDetailDto,
    description:
      'active: verify or reinstate; suspended/revoked: every listing hidden and new consultation requests refused at once. 409 INVALID_TRANSITION otherwise',
  })
  decide(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: LicenseDecisionDto,
  ): Promise<AgencyDetailDto> {
    return this.regulation.decideLicense(user, id, dto);
  }
}
