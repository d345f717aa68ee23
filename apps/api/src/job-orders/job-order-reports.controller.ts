import { CreateReportDto, JobOrderOversightService, ReportAcceptedDto } from '@app/job-orders';
import { Body, Controller, HttpCode, HttpStatus, Ip, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

@ApiTags('job-orders')
@Controller('job-orders')
export class JobOrderReportsController {
  constructor(private readonly oversight: JobOrderOversightService) {}

  @Post(':id/reports')
  @ApiProblems({ 429: ['RATE_LIMITED'] })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: ReportAcceptedDto,
    description: 'A suspicious-listing report, queued for regulators; at most 10 per hour per address',
  })
  report(
    @Param('id') id: string,
    @Body() dto: CreateReportDto,
    @Ip() ip: string,
  ): Promise<ReportAcceptedDto> {
    return this.oversight.report(id, dto, ip);
  }
}
