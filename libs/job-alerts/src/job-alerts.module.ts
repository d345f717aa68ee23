import { ApplicantsModule } from '@app/applicants';
import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { AlertStopTokens } from './alert-stop-tokens';
import { JobAlertMatcher } from './job-alert-matcher.service';
import { JOB_ALERT_SETTINGS } from './job-alerts.settings';
import { JobAlertsRepository } from './job-alerts.repository';
import { JobAlertsService } from './job-alerts.service';

@Module({
  imports: [ApplicantsModule, JobOrdersModule, ReferenceModule],
  providers: [
    JOB_ALERT_SETTINGS.provider,
    JobAlertsRepository,
    JobAlertsService,
    JobAlertMatcher,
    AlertStopTokens,
  ],
  exports: [JobAlertsService, JobAlertMatcher],
})
export class JobAlertsModule {}
