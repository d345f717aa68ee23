import { AuthUser, CurrentUser, StaffController } from '@app/accounts';
import { Page } from '@app/core';
import {
  CreateSuspensionDto,
  RegulationService,
  SuspensionDto,
  SuspensionPageDto,
  SuspensionQueryDto,
} from '@app/regulation';
import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

@StaffController('regulator/recruitment-suspensions', 'regulator')
export class RegulatorSuspensionsController {
  constructor(private readonly regulation: RegulationService) {}

  @Post()
  @ApiCreatedResponse({
    type: SuspensionDto,
    description:
      'Consultation requests from these provinces for matching orders are refused LOCALITY_SUSPENDED',
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateSuspensionDto): Promise<SuspensionDto> {
    return this.regulation.createSuspension(user, dto);
  }

  @Get()
  @ApiOkResponse({ type: SuspensionPageDto })
  list(@Query() query: SuspensionQueryDto): Promise<Page<SuspensionDto>> {
    return this.regulation.listSuspensions(query);
  }

  @Delete(':id')
  @ApiProblems({ 409: ['INVALID_TRANSITION'] })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Lifted; the record stays. 409 when already lifted' })
  lift(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.regulation.liftSuspension(user, id);
  }
}
