import { ApplicantQueue, ApplicantsModule } from '@app/applicants';
import { ConsultationQueue, ConsultationsModule } from '@app/consultations';
import { AppConfigModule, DatabaseModule, QueueModule, RedisModule } from '@app/core';
import { DataRightsModule, DataRightsQueue } from '@app/data-rights';
import { JobAlertQueue, JobAlertsModule } from '@app/job-alerts';
import { JobOrdersModule } from '@app/job-orders';
import { OPEN_DATA_QUEUE, OpenDataModule } from '@app/open-data';
import { RANKING_QUEUE, RankingModule } from '@app/ranking';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';

import { SmsProcessor } from './applicants/sms.processor';
import { ErasureProcessor } from './data-rights/erasure.processor';
import { LegacyPhoneHashes } from './data-rights/legacy-phone-hashes';
import { JobAlertMatchProcessor } from './job-alerts/job-alert-match.processor';
import { AgencyNotificationProcessor } from './consultations/agency-notification.processor';
import { ConsultationIntakeProcessor } from './consultations/consultation-intake.processor';
import { ConsultationReconciler } from './consultations/consultation-reconciler';
import { WebhookDispatcher } from './consultations/webhook-dispatcher';
import { OpenDataProcessor } from './open-data/open-data.processor';
import { OpenDataScheduler } from './open-data/open-data.scheduler';
import { WorkerLifecycleModule } from './lifecycle/queue-workers';
import { OutboxRelay } from './outbox/outbox-relay';
import { MAINTENANCE_QUEUE } from './maintenance/maintenance.queue';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler';
import { RankingProcessor } from './ranking/ranking.processor';
import { RankingScheduler } from './ranking/ranking.scheduler';

@Module({
  imports: [
    AppConfigModule,
    DatabaseModule,
    RedisModule,
    QueueModule,
    WorkerLifecycleModule,
    BullModule.registerQueue(
      { name: MAINTENANCE_QUEUE },
      { name: ConsultationQueue.Intake },
      { name: ConsultationQueue.AgencyNotifications },
      { name: RANKING_QUEUE },
      { name: ApplicantQueue.Sms },
      { name: DataRightsQueue.Erasure },
      { name: OPEN_DATA_QUEUE },
      { name: JobAlertQueue.Match },
    ),
    JobOrdersModule,
    ApplicantsModule,
    ConsultationsModule,
    RankingModule,
    DataRightsModule,
    OpenDataModule,
    JobAlertsModule,
  ],
  providers: [
    MaintenanceProcessor,
    MaintenanceScheduler,
    OutboxRelay,
    ConsultationIntakeProcessor,
    AgencyNotificationProcessor,
    WebhookDispatcher,
    ConsultationReconciler,
    RankingProcessor,
    RankingScheduler,
    SmsProcessor,
    ErasureProcessor,
    LegacyPhoneHashes,
    OpenDataProcessor,
    OpenDataScheduler,
    JobAlertMatchProcessor,
  ],
})
export class WorkerModule {}
