import { StaffController } from '@app/accounts';
import { Page } from '@app/core';
import {
  AuditEntryDto,
  AuditEntryPageDto,
  AuditLogQueryDto,
  AuditVerificationDto,
  RegulationService,
} from '@app/regulation';
import { Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

@StaffController('regulator/audit-log', 'regulator')
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
