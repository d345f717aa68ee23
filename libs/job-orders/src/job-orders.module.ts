import { Module } from '@nestjs/common';

import { JobOrdersRepository } from './job-orders.repository';
import { JobOrdersService } from './job-orders.service';
import { ListingCache } from './listing-cache';
import { ViewCountsService } from './view-counts.service';

@Module({
  providers: [JobOrdersRepository, JobOrdersService, ViewCountsService, ListingCache],
  exports: [JobOrdersService, ViewCountsService, ListingCache],
})
export class JobOrdersModule {}
