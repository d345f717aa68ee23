import { Module } from '@nestjs/common';

import { JobOrdersRepository } from './job-orders.repository';
import { JobOrdersService } from './job-orders.service';
import { ViewCountsService } from './view-counts.service';

@Module({
  providers: [JobOrdersRepository, JobOrdersService, ViewCountsService],
  exports: [JobOrdersService, ViewCountsService],
})
export class JobOrdersModule {}
