import { AGENCY_ROLES, AuthUser, CurrentUser, StaffController } from '@app/accounts';
import { VIOLATION_PROBLEMS } from '@app/compliance';
import { Page } from '@app/core';
import {
  AgencyJobOrderDto,
  AgencyJobOrderPageDto,
  AgencyJobOrderQueryDto,
  AgencyJobOrdersService,
  CreateJobOrderDto,
  UpdateJobOrderDto,
} from '@app/job-orders';
import { Body, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

/** The agency's own job orders. Registration status, counters and ownership are not writable here. */
@StaffController('agency/job-orders', AGENCY_ROLES)
export class AgencyJobOrdersController {
  constructor(private readonly orders: AgencyJobOrdersService) {}

  @Get()
  @ApiOkResponse({ type: AgencyJobOrderPageDto })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: AgencyJobOrderQueryDto,
  ): Promise<Page<AgencyJobOrderDto>> {
    return this.orders.list(user.agencyId!, query);
  }

  @Post()
  @ApiProblems({ 403: ['AGENCY_NOT_ACTIVE'] })
  @ApiCreatedResponse({
    type: AgencyJobOrderDto,
    description: 'A draft; 403 AGENCY_NOT_ACTIVE for a suspended agency',
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateJobOrderDto): Promise<AgencyJobOrderDto> {
    return this.orders.create(user.agencyId!, user, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: AgencyJobOrderDto })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AgencyJobOrderDto> {
    return this.orders.get(user.agencyId!, id);
  }

  @Patch(':id')
  @ApiProblems({
    403: ['AGENCY_NOT_ACTIVE'],
    409: ['REGISTRATION_LOCKED', 'ORDER_TAKEN_DOWN'],
    422: Object.values(VIOLATION_PROBLEMS),
  })
  @ApiOkResponse({
    type: AgencyJobOrderDto,
    description:
      'Registered terms are locked once submitted (409 REGISTRATION_LOCKED); a published order is re-checked',
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateJobOrderDto,
  ): Promise<AgencyJobOrderDto> {
    return this.orders.update(user.agencyId!, user, id, dto);
  }

  @Post(':id/submit')
  @ApiProblems({ 403: ['AGENCY_NOT_ACTIVE'], 409: ['INVALID_TRANSITION'] })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AgencyJobOrderDto, description: 'Registration → submitted (trình cục)' })
  submit(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AgencyJobOrderDto> {
    return this.orders.submit(user.agencyId!, user, id);
  }

  @Post(':id/publish')
  @ApiProblems({
    403: ['AGENCY_NOT_ACTIVE'],
    409: ['ORDER_TAKEN_DOWN'],
    422: Object.values(VIOLATION_PROBLEMS),
  })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: AgencyJobOrderDto,
    description:
      'Checks every rule: 422 whose `code` is the first violated rule and `violations` lists them all (FEE_OVER_CAP, DEPOSIT_OVER_CAP, ...)',
  })
  publish(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AgencyJobOrderDto> {
    return this.orders.publish(user.agencyId!, user, id);
  }

  @Post(':id/close')
  @ApiProblems({ 409: ['INVALID_TRANSITION'] })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AgencyJobOrderDto })
  close(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AgencyJobOrderDto> {
    return this.orders.close(user.agencyId!, user, id);
  }
}
