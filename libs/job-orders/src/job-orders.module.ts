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
import { JOB_ORDER_SETTINGS } from './job-orders.settings';
import { OrderAssessor } from './order-assessor';
import { ViewCountsService } from './view-counts.service';

@Module({
  imports: [AgenciesModule, ReferenceModule, ComplianceModule],
  providers: [
    JOB_ORDER_SETTINGS.provider,
    JobOrdersRepository,
    JobOrdersService,
    AgencyJobOrdersRepository,
    AgencyJobOrdersService,
    JobOrderOversightRepository,
    JobOrderOversightService,
    OrderAssessor,
    ViewCountsService,
  ],
  exports: [
    JOB_ORDER_SETTINGS.token,
    JobOrdersService,
    AgencyJobOrdersService,
    JobOrderOversightService,
    ViewCountsService,
  ],
})
export class JobOrdersModule {}
