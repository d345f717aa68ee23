import { AGENCY_ROLES, AuthUser, CurrentUser, StaffController } from '@app/accounts';
import {
  CreateDepartureReportDto,
  DepartureReportDto,
  DepartureReportPageDto,
  DepartureReportQueryDto,
  DepartureReportsService,
} from '@app/agencies';
import { Page } from '@app/core';
import { Body, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { ApiProblems } from '../openapi';

@StaffController('agency/departure-reports', AGENCY_ROLES)
export class AgencyDepartureReportsController {
  constructor(private readonly reports: DepartureReportsService) {}

  @Post()
  @ApiProblems({ 403: ['AGENCY_NOT_ACTIVE'] })
  @ApiCreatedResponse({ type: DepartureReportDto })
  @ApiOkResponse({
    type: DepartureReportDto,
    description: 'The month and destination were reported before: corrected',
  })
  async report(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateDepartureReportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DepartureReportDto> {
    const { report, created } = await this.reports.report(user.agencyId!, user, dto);
    void reply.status(created ? 201 : 200);
    return report;
  }

  @Get()
  @ApiOkResponse({ type: DepartureReportPageDto })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: DepartureReportQueryDto,
  ): Promise<Page<DepartureReportDto>> {
    return this.reports.list(user.agencyId!, query);
  }
}
