import { Applicant, ApplicantGuard, CurrentApplicant } from '@app/applicants';
import {
  ApplicantConsultationDto,
  ApplicantConsultationPageDto,
  ConsultationIntakeService,
} from '@app/consultations';
import { Page, PageQueryDto } from '@app/core';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** The applicant's own data, for the holder of an applicant token (a phone proven by a one-time code). */
@ApiTags('applicants')
@ApiBearerAuth()
@Controller('me')
@UseGuards(ApplicantGuard)
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no valid applicant token' })
export class MeController {
  constructor(private readonly consultations: ConsultationIntakeService) {}

  @Get('consultations')
  @ApiOkResponse({ type: ApplicantConsultationPageDto })
  consultationsOf(
    @CurrentApplicant() applicant: Applicant,
    @Query() query: PageQueryDto,
  ): Promise<Page<ApplicantConsultationDto>> {
    return this.consultations.listForApplicant(applicant.phoneHash, query);
  }
}
