import { AuthUser, StaffController } from '@app/accounts';
import {
  AgenciesService,
  AgencyDetailDto,
  AgencyDto,
  AgencyPageDto,
  RegulatorAgencyQueryDto,
} from '@app/agencies';
import { Page } from '@app/core';
import { LicenseDecisionDto, RegulationService } from '@app/regulation';
import { Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { DecisionRoute } from './decision-route';

@StaffController('regulator/agencies', 'regulator')
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

  @DecisionRoute(
    ':id/license',
    AgencyDetailDto,
    'active: verify or reinstate; suspended/revoked: every listing hidden and new consultation requests refused at once. 409 INVALID_TRANSITION otherwise',
  )
  decide(user: AuthUser, id: string, dto: LicenseDecisionDto): Promise<AgencyDetailDto> {
    return this.regulation.decideLicense(user, id, dto);
  }
}
