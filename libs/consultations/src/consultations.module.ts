import { AgenciesModule } from '@app/agencies';
import { ApplicantsModule } from '@app/applicants';
import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { RegulationModule } from '@app/regulation';
import { Module } from '@nestjs/common';

import { AgencyLeadsService } from './agency-leads.service';
import { ApplicantRequestsService } from './applicant-requests.service';
import { ConsultationIntakeService } from './consultation-intake.service';
import { ConsultationsRepository } from './consultations.repository';
import { CONSULTATION_SETTINGS } from './consultations.settings';
import { LeadDeliveryService } from './lead-delivery.service';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookSender } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

@Module({
  imports: [AgenciesModule, ApplicantsModule, JobOrdersModule, ReferenceModule, RegulationModule],
  providers: [
    CONSULTATION_SETTINGS.provider,
    ConsultationsRepository,
    WebhooksRepository,
    ConsultationIntakeService,
    AgencyLeadsService,
    LeadDeliveryService,
    ApplicantRequestsService,
    WebhookSender,
    WebhookMetrics,
  ],
  exports: [
    CONSULTATION_SETTINGS.token,
    ConsultationIntakeService,
    AgencyLeadsService,
    LeadDeliveryService,
    ApplicantRequestsService,
  ],
})
export class ConsultationsModule {}
