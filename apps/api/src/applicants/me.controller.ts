import { Applicant, ApplicantGuard, CurrentApplicant } from '@app/applicants';
import {
  ApplicantConsultationDto,
  ApplicantConsultationPageDto,
  ApplicantRequestsService,
} from '@app/consultations';
import { Page, PageQueryDto } from '@app/core';
import { ApplicantDataDto, DataRightsService, ErasureScheduledDto } from '@app/data-rights';
import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IsIn, IsOptional } from 'class-validator';

class DataQueryDto {
  @IsOptional()
  @IsIn(['1'])
  download?: '1';
}

/** The applicant's own data, for the holder of an applicant token (a phone proven by a one-time code). */
@ApiTags('applicants')
@ApiBearerAuth()
@Controller('me')
@UseGuards(ApplicantGuard)
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no valid applicant token' })
export class MeController {
  constructor(
    private readonly requests: ApplicantRequestsService,
    private readonly dataRights: DataRightsService,
  ) {}

  @Get('consultations')
  @ApiOkResponse({ type: ApplicantConsultationPageDto })
  consultationsOf(
    @CurrentApplicant() applicant: Applicant,
    @Query() query: PageQueryDto,
  ): Promise<Page<ApplicantConsultationDto>> {
    return this.requests.list(applicant.phoneHash, query);
  }

  @Post('consultations/:trackingCode/withdraw')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ApplicantConsultationDto, description: 'Withdrawn; the agency is told' })
  @ApiForbiddenResponse({ description: "FORBIDDEN: another phone's request" })
  @ApiNotFoundResponse({ description: 'Unknown tracking code' })
  @ApiConflictResponse({ description: 'INVALID_TRANSITION: already closed, rejected or withdrawn' })
  withdraw(
    @CurrentApplicant() applicant: Applicant,
    @Param('trackingCode') trackingCode: string,
  ): Promise<ApplicantConsultationDto> {
    return this.requests.withdraw(applicant.phoneHash, trackingCode);
  }

  @Get('data')
  @ApiQuery({ name: 'download', required: false, enum: ['1'], description: 'As a file' })
  @ApiOkResponse({ type: ApplicantDataDto, description: 'Everything held about the phone' })
  async data(
    @CurrentApplicant() applicant: Applicant,
    @Query() query: DataQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ApplicantDataDto> {
    if (query.download) {
      void reply
        .header('content-disposition', 'attachment; filename="xkld-du-lieu-cua-toi.json"')
        .header('cache-control', 'no-store');
    }
    return this.dataRights.export(applicant.phoneHash);
  }

  @Delete('data')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: ErasureScheduledDto,
    description:
      'Every personal field of the phone is made unrecoverable, normally within a minute (72 h at most)',
  })
  eraseData(@CurrentApplicant() applicant: Applicant): Promise<ErasureScheduledDto> {
    return this.dataRights.requestErasure(applicant.phoneHash);
  }
}
