import { Module } from '@nestjs/common';

import { ApplicantCipher } from './applicant-cipher';
import { ApplicantKeysRepository } from './applicant-keys.repository';
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
    ApplicantKeysRepository,
    ApplicantCipher,
  ],
  exports: [SmsService, PhoneVerificationsService, ApplicantTokens, ApplicantGuard, ApplicantCipher],
})
export class ApplicantsModule {}
