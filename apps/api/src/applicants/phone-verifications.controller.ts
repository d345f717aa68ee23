import {
  ApplicantTokenDto,
  ConfirmPhoneVerificationDto,
  PhoneVerificationsService,
  PhoneVerificationStartedDto,
  StartPhoneVerificationDto,
} from '@app/applicants';
import { Body, Controller, HttpCode, HttpStatus, Ip, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

@ApiTags('applicants')
@Controller('phone-verifications')
export class PhoneVerificationsController {
  constructor(private readonly verifications: PhoneVerificationsService) {}

  @Post()
  @ApiProblems({ 429: ['RATE_LIMITED'] })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: PhoneVerificationStartedDto,
    description: 'A 6-digit code, valid 5 minutes, is sent to the phone by SMS (for any valid phone)',
  })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many codes for this phone or address' })
  start(@Body() dto: StartPhoneVerificationDto, @Ip() ip: string): Promise<PhoneVerificationStartedDto> {
    return this.verifications.start(dto.phone, ip);
  }

  @Post(':id/confirm')
  @ApiProblems({ 410: ['OTP_EXPIRED'], 422: ['OTP_INVALID'] })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ApplicantTokenDto })
  @ApiUnprocessableEntityResponse({ description: 'OTP_INVALID: wrong code' })
  @ApiGoneResponse({ description: 'OTP_EXPIRED: expired, already used, or 5 wrong codes' })
  @ApiNotFoundResponse({ description: 'Unknown verification' })
  confirm(@Param('id') id: string, @Body() dto: ConfirmPhoneVerificationDto): Promise<ApplicantTokenDto> {
    return this.verifications.confirm(id, dto.code);
  }
}
