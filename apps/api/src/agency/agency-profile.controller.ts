import { AGENCY_ROLES, AuthUser, CurrentUser, Roles, StaffController } from '@app/accounts';
import { AgenciesService, AgencyDetailDto, UpdateAgencyProfileDto } from '@app/agencies';
import { Body, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';

/** The agency's own record as the public sees it, and the contact fields it may correct. */
@StaffController('agency/profile', AGENCY_ROLES)
export class AgencyProfileController {
  constructor(private readonly agencies: AgenciesService) {}

  @Get()
  @ApiOkResponse({ type: AgencyDetailDto })
  profile(@CurrentUser() user: AuthUser): Promise<AgencyDetailDto> {
    return this.agencies.findById(user.agencyId!);
  }

  @Patch()
  @Roles('agency_admin')
  @ApiOperation({
    summary:
      'Corrects the address, hotline or website; name, licence and enterprise code are the regulator’s',
  })
  @ApiOkResponse({ type: AgencyDetailDto })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateAgencyProfileDto): Promise<AgencyDetailDto> {
    return this.agencies.updateProfile(user, user.agencyId!, dto);
  }
}
