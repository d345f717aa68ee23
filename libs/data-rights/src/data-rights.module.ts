import { ApplicantsModule } from '@app/applicants';
import { ConsultationsModule } from '@app/consultations';
import { JobAlertsModule } from '@app/job-alerts';
import { RankingModule } from '@app/ranking';
import { RecruitersModule } from '@app/recruiters';
import { Module } from '@nestjs/common';

import { DATA_RIGHTS_SETTINGS } from './data-rights.settings';
import { DataRightsService } from './data-rights.service';
import { ErasureRequestsRepository } from './erasure-requests.repository';

@Module({
  imports: [ApplicantsModule, ConsultationsModule, RankingModule, JobAlertsModule, RecruitersModule],
  providers: [DATA_RIGHTS_SETTINGS.provider, ErasureRequestsRepository, DataRightsService],
  exports: [DataRightsService],
})
export class DataRightsModule {}
