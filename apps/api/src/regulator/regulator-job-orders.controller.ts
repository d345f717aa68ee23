import { AuthUser, StaffController } from '@app/accounts';
import { Page } from '@app/core';
import {
  AgencyJobOrderDto,
  JobOrderOversightService,
  RegistrationDecisionDto,
  RegulatorJobOrderDto,
  RegulatorJobOrderPageDto,
  RegulatorJobOrderQueryDto,
  TakedownDto,
} from '@app/job-orders';
import { Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { DecisionRoute } from './decision-route';

@StaffController('regulator/job-orders', 'regulator')
export class RegulatorJobOrdersController {
  constructor(private readonly oversight: JobOrderOversightService) {}

  @Get()
  @ApiOkResponse({
    type: RegulatorJobOrderPageDto,
    description: 'Every agency’s orders, most recently changed first',
  })
  list(@Query() query: RegulatorJobOrderQueryDto): Promise<Page<RegulatorJobOrderDto>> {
    return this.oversight.list(query);
  }

  @DecisionRoute(
    ':id/registration',
    AgencyJobOrderDto,
    'approved needs referenceNumber and approvedHeadcount; rejected needs reason and ends a live listing',
  )
  decide(user: AuthUser, id: string, dto: RegistrationDecisionDto): Promise<AgencyJobOrderDto> {
    return this.oversight.decideRegistration(user, id, dto);
  }

  @DecisionRoute(
    ':id/takedown',
    AgencyJobOrderDto,
    'The listing leaves the public at once; the agency sees the reason',
  )
  takedown(user: AuthUser, id: string, dto: TakedownDto): Promise<AgencyJobOrderDto> {
    return this.oversight.takedown(user, id, dto.reason);
  }
}
