import { AgenciesModule } from '@app/agencies';
import { ComplianceModule } from '@app/compliance';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { RecruiterChecksService } from './recruiter-checks.service';
import { RecruiterReportsRepository } from './recruiter-reports.repository';
import { RecruiterReportsService } from './recruiter-reports.service';
import { RECRUITER_SETTINGS } from './recruiters.settings';

@Module({
  imports: [AgenciesModule, ComplianceModule, ReferenceModule],
  providers: [
    RECRUITER_SETTINGS.provider,
    RecruiterReportsRepository,
    RecruiterChecksService,
    RecruiterReportsService,
  ],
  exports: [RecruiterChecksService, RecruiterReportsService],
})
export class RecruitersModule {}
