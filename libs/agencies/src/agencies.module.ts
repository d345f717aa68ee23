import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { AgenciesRepository } from './agencies.repository';
import { AgenciesService } from './agencies.service';
import { DepartureReportsRepository } from './departure-reports.repository';
import { DepartureReportsService } from './departure-reports.service';

@Module({
  imports: [ReferenceModule],
  providers: [AgenciesRepository, AgenciesService, DepartureReportsRepository, DepartureReportsService],
  exports: [AgenciesService, DepartureReportsService],
})
export class AgenciesModule {}
