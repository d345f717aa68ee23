import { JwtAuthGuard, Roles, RolesGuard } from '@app/accounts';
import { Page } from '@app/core';
import {
  AuditEntryDto,
  AuditEntryPageDto,
  AuditLogQueryDto,
  AuditVerificationDto,
  RegulationService,
} from '@app/regulation';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('regulator')
@ApiBearerAuth()
@Controller('regulator/audit-log')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('regulator')
export class RegulatorAuditController {
  constructor(private readonly regulation: RegulationService) {}

  @Get()
  @ApiOkResponse({ type: AuditEntryPageDto, description: 'Newest first' })
  list(@Query() query: AuditLogQueryDto): Promise<Page<AuditEntryDto>> {
    return this.regulation.auditLog(query);
  }

  @Get('verify')
  @ApiOkResponse({
    type: AuditVerificationDto,
    description: 'Recomputes the hash chain; brokenAt names the first bad entry',
  })
  verify(): Promise<AuditVerificationDto> {
    return this.regulation.verifyAuditLog();
  }
}
