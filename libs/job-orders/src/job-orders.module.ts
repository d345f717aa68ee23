import { AgenciesModule } from '@app/agencies';
import { ComplianceModule } from '@app/compliance';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { AgencyJobOrdersRepository } from './agency-job-orders.repository';
import { AgencyJobOrdersService } from './agency-job-orders.service';
import { JobOrderOversightRepository } from './job-order-oversight.repository';
import { JobOrderOversightService } from './job-order-oversight.service';
import { JobOrdersRepository } from './job-orders.repository';
import { JobOrdersService } from './job-orders.service';
import { ListingCache } from './listing-cache';
import { OrderAssessor } from './order-assessor';
import { ViewCountsService } from './view-counts.service';

@Module({
  imports: [AgenciesModule, ReferenceModule, ComplianceModule],
  providers: [
    JobOrdersRepository,
    JobOrdersService,
    AgencyJobOrdersRepository,
    AgencyJobOrdersService,
    JobOrderOversightRepository,
    JobOrderOversightService,
    OrderAssessor,
    ViewCountsService,
    ListingCache,
  ],
  exports: [
    JobOrdersService,
    AgencyJobOrdersService,
    JobOrderOversightService,
    ViewCountsService,
    ListingCache,
  ],
})
export class JobOrdersModule {}
