import {
  AppConfigModule,
  DatabaseModule,
  loggerModule,
  QueueModule,
  QueueName,
  RedisModule,
} from '@app/core';
import { JobOrdersModule } from '@app/job-orders';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';

import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler';

@Module({
  imports: [
    AppConfigModule,
    loggerModule,
    DatabaseModule,
    RedisModule,
    QueueModule,
    BullModule.registerQueue({ name: QueueName.Maintenance }),
    JobOrdersModule,
  ],
  providers: [MaintenanceProcessor, MaintenanceScheduler],
})
export class WorkerModule {}
