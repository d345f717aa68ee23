import { AuthUser, CurrentUser, JwtAuthGuard, Roles, RolesGuard } from '@app/accounts';
import { FlagDto, FlagPageDto, FlagQueryDto, FlagsService, ResolveFlagDto } from '@app/compliance';
import { Page } from '@app/core';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('regulator')
@ApiBearerAuth()
@Controller('regulator/flags')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('regulator')
export class RegulatorFlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  @ApiOkResponse({ type: FlagPageDto, description: 'Compliance flags and public reports, oldest first' })
  list(@Query() query: FlagQueryDto): Promise<Page<FlagDto>> {
    return this.flags.list(query);
  }

  @Post(':id/resolve')
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
