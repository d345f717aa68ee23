import { AgenciesModule } from '@app/agencies';
import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { RegulationModule } from '@app/regulation';
import { Module } from '@nestjs/common';

import { AgencyLeadsService } from './agency-leads.service';
import { ConsultationIntakeService } from './consultation-intake.service';
import { ConsultationsRepository } from './consultations.repository';
import { LeadDeliveryService } from './lead-delivery.service';
import { OutboxRepository } from './outbox.repository';
import { WebhooksRepository } from './webhooks.repository';

@Module({
  imports: [AgenciesModule, JobOrdersModule, ReferenceModule, RegulationModule],
  providers: [
    ConsultationsRepository,
    WebhooksRepository,
    OutboxRepository,
    ConsultationIntakeService,
    AgencyLeadsService,
    LeadDeliveryService,
  ],
  exports: [ConsultationIntakeService, AgencyLeadsService, LeadDeliveryService],
})
export class ConsultationsModule {}
