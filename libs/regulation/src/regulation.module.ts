import { AgenciesModule } from '@app/agencies';
import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { RecruitmentSuspensionsRepository } from './recruitment-suspensions.repository';
import { RegulationService } from './regulation.service';

@Module({
  imports: [AgenciesModule, JobOrdersModule, ReferenceModule],
  providers: [RecruitmentSuspensionsRepository, RegulationService],
  exports: [RegulationService],
})
export class RegulationModule {}
