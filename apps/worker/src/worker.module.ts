import { AppConfigModule, DatabaseModule, QueueModule, QueueName, RedisModule } from '@app/core';
import { ConsultationsModule } from '@app/consultations';
import { JobOrdersModule } from '@app/job-orders';
import { RankingModule } from '@app/ranking';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';

import { AgencyNotificationProcessor } from './consultations/agency-notification.processor';
import { ConsultationIntakeProcessor } from './consultations/consultation-intake.processor';
import { ConsultationReconciler } from './consultations/consultation-reconciler';
import { OutboxRelay } from './consultations/outbox-relay';
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
    BullModule.registerQueue(
      { name: QueueName.Maintenance },
      { name: QueueName.ConsultationIntake },
      { name: QueueName.AgencyNotifications },
      { name: QueueName.Ranking },
    ),
    JobOrdersModule,
    ConsultationsModule,
    RankingModule,
  ],
  providers: [
    MaintenanceProcessor,
    MaintenanceScheduler,
    OutboxRelay,
    ConsultationIntakeProcessor,
    AgencyNotificationProcessor,
    ConsultationReconciler,
    RankingProcessor,
    RankingScheduler,
  ],
})
export class WorkerModule {}
