import { Applicant, ApplicantGuard, CurrentApplicant } from '@app/applicants';
import { Page } from '@app/core';
import { CreateJobAlertDto, JobAlertDto, JobAlertPageDto, JobAlertsService } from '@app/job-alerts';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

/** Job alerts of the holder of an applicant token (a phone proven by a one-time code). */
@ApiTags('job alerts')
@ApiBearerAuth()
@Controller('me/alerts')
@UseGuards(ApplicantGuard)
export class MeAlertsController {
  constructor(private readonly alerts: JobAlertsService) {}

  @Get()
  @ApiOkResponse({ type: JobAlertPageDto, description: "The phone's active alerts, newest first" })
  list(@CurrentApplicant() applicant: Applicant): Promise<Page<JobAlertDto>> {
    return this.alerts.list(applicant.phoneHash);
  }

  @Post()
  @ApiProblems({ 403: ['PHONE_NOT_PROVEN'], 422: ['ALERT_LIMIT_REACHED'] })
  @ApiCreatedResponse({
    type: JobAlertDto,
    description:
      'Saved with its consent. Each newly published order that passes every filter is matched; the phone ' +
      'gets at most one text a day, with a stop link. 403 PHONE_NOT_PROVEN: the body names another phone ' +
      'than the token proves; 422 ALERT_LIMIT_REACHED: five alerts are active already',
  })
  create(@CurrentApplicant() applicant: Applicant, @Body() dto: CreateJobAlertDto): Promise<JobAlertDto> {
    return this.alerts.create(applicant.phoneHash, dto, 'api');
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({
    description: "Ended (kept, with the stop, in the phone's data); 404 for another phone's",
  })
  async end(@CurrentApplicant() applicant: Applicant, @Param('id') id: string): Promise<void> {
    await this.alerts.end(applicant.phoneHash, id, 'api');
  }
}
