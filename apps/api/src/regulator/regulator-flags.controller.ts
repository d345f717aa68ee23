import { AuthUser, CurrentUser, StaffController } from '@app/accounts';
import { FlagDto, FlagPageDto, FlagQueryDto, FlagsService, ResolveFlagDto } from '@app/compliance';
import { Page } from '@app/core';
import { Body, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

@StaffController('regulator/flags', 'regulator')
export class RegulatorFlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  @ApiOkResponse({ type: FlagPageDto, description: 'Compliance flags and public reports, oldest first' })
  list(@Query() query: FlagQueryDto): Promise<Page<FlagDto>> {
    return this.flags.list(query);
  }

  @Post(':id/resolve')
  @ApiProblems({ 409: ['INVALID_TRANSITION'] })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: FlagDto, description: '409 INVALID_TRANSITION when already resolved' })
  resolve(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: ResolveFlagDto,
  ): Promise<FlagDto> {
    return this.flags.resolve(user, id, dto);
  }
}
