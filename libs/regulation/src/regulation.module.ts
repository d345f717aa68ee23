import { AgenciesModule } from '@app/agencies';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { RecruitmentSuspensionsRepository } from './recruitment-suspensions.repository';
import { RegulationService } from './regulation.service';

@Module({
  imports: [AgenciesModule, ReferenceModule],
  providers: [RecruitmentSuspensionsRepository, RegulationService],
  exports: [RegulationService],
})
export class RegulationModule {}
