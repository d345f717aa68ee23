import { AuthUser, StaffController } from '@app/accounts';
import { FlagDto, FlagPageDto, FlagQueryDto, FlagsService, ResolveFlagDto } from '@app/compliance';
import { Page } from '@app/core';
import { Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { DecisionRoute } from './decision-route';

@StaffController('regulator/flags', 'regulator')
export class RegulatorFlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  @ApiOkResponse({ type: FlagPageDto, description: 'Compliance flags and public reports, oldest first' })
  list(@Query() query: FlagQueryDto): Promise<Page<FlagDto>> {
    return this.flags.list(query);
  }

  @DecisionRoute(':id/resolve', FlagDto, '409 INVALID_TRANSITION when already resolved')
  resolve(user: AuthUser, id: string, dto: ResolveFlagDto): Promise<FlagDto> {
    return this.flags.resolve(user, id, dto);
  }
}
