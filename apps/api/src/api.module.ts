import { AgenciesModule } from '@app/agencies';
import { AppConfigModule, DatabaseModule, loggerModule, RedisModule } from '@app/core';
import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AgenciesController } from './agencies/agencies.controller';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { JobOrdersController } from './job-orders/job-orders.controller';
import { ReferenceController } from './reference/reference.controller';

@Module({
  imports: [
    AppConfigModule,
    loggerModule,
    DatabaseModule,
    RedisModule,
    TerminusModule,
    ReferenceModule,
    AgenciesModule,
    JobOrdersModule,
  ],
  controllers: [
    JobOrdersController,
    AgenciesController,
    ReferenceController,
    HealthController,
    MetricsController,
  ],
})
export class ApiModule {}
