import {
  CreateRecruiterReportDto,
  RecruiterCheckDto,
  RecruiterCheckQueryDto,
  RecruiterChecksService,
  RecruiterReportAcceptedDto,
} from '@app/recruiters';
import { Body, Controller, Get, HttpCode, HttpStatus, Ip, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

@ApiTags('recruiters')
@Controller('recruiters')
export class RecruitersController {
  constructor(private readonly recruiters: RecruiterChecksService) {}

  @Get('check')
  @ApiProblems({ 429: ['RATE_LIMITED'] })
  @ApiOkResponse({
    type: RecruiterCheckDto,
    description:
      "Check before you pay: whether a number, a name or a Facebook/Zalo link is a licensed agency's registered " +
      'hotline or name (with its licence status), and how many public reports name it. Exactly one of phone ' +
      'and q; 400 VALIDATION_FAILED otherwise or for what is neither a number, a link nor a name; limited per ' +
      'address (RATE_LIMIT_RECRUITER_CHECKS_PER_IP_PER_HOUR)',
  })
  check(@Query() query: RecruiterCheckQueryDto, @Ip() ip: string): Promise<RecruiterCheckDto> {
    return this.recruiters.check(query, ip);
  }

  @Post('reports')
  @ApiProblems({ 429: ['RATE_LIMITED'] })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: RecruiterReportAcceptedDto,
    description:
      'A report of someone recruiting without a licence or asking for money beyond the caps, filed under the ' +
      'regulator flag (source unlicensed_recruiter) of the number, link or name it names; limited per address ' +
      '(RATE_LIMIT_RECRUITER_REPORTS_PER_IP_PER_HOUR)',
  })
  report(@Body() dto: CreateRecruiterReportDto, @Ip() ip: string): Promise<RecruiterReportAcceptedDto> {
    return this.recruiters.report(dto, ip);
  }
}
