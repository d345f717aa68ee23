import { StaffController } from '@app/accounts';
import { Page } from '@app/core';
import {
  RecruiterReportGroupDto,
  RecruiterReportGroupPageDto,
  RecruiterReportGroupQueryDto,
  RecruiterReportsService,
} from '@app/recruiters';
import { Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

@StaffController('regulator/recruiter-reports', 'regulator')
export class RegulatorRecruiterReportsController {
  constructor(private readonly reports: RecruiterReportsService) {}

  @Get()
  @ApiOkResponse({
    type: RecruiterReportGroupPageDto,
    description:
      'Reports of recruiters grouped by the number, link or name they name (two spellings of one number are ' +
      'one group), latest activity first, each with its flag, the names and links it went by and its latest reports',
  })
  list(@Query() query: RecruiterReportGroupQueryDto): Promise<Page<RecruiterReportGroupDto>> {
    return this.reports.groups(query);
  }
}
