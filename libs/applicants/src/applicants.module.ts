import { Module } from '@nestjs/common';

import { ApplicantGuard, ApplicantTokens } from './applicant-tokens';
import { APPLICANT_SETTINGS, ApplicantSettings } from './applicants.settings';
import { PhoneVerificationsRepository } from './phone-verifications.repository';
import { PhoneVerificationsService } from './phone-verifications.service';
import { SMS_GATEWAY, smsGateway } from './sms.gateway';
import { SmsMessagesRepository } from './sms-messages.repository';
import { SmsService } from './sms.service';

@Module({
  providers: [
    APPLICANT_SETTINGS.provider,
    {
      provide: SMS_GATEWAY,
      inject: [APPLICANT_SETTINGS.token],
      useFactory: (settings: ApplicantSettings) => smsGateway(settings.sms),
    },
    SmsMessagesRepository,
    SmsService,
    PhoneVerificationsRepository,
    PhoneVerificationsService,
    ApplicantTokens,
    ApplicantGuard,
  ],
  exports: [SmsService, PhoneVerificationsService, ApplicantTokens, ApplicantGuard],
})
export class ApplicantsModule {}
