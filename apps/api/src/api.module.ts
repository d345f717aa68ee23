import { AccountsModule } from '@app/accounts';
import { AgenciesModule } from '@app/agencies';
import { ConsultationsModule } from '@app/consultations';
import { AppConfigModule, DatabaseModule, loggerModule, RedisModule } from '@app/core';
import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AdminExchangeRatesController } from './admin/admin-exchange-rates.controller';
import { AdminUsersController } from './admin/admin-users.controller';
import { AgenciesController } from './agencies/agencies.controller';
import { AgencyConsultationsController } from './agency/agency-consultations.controller';
import { AgencyDepartureReportsController } from './agency/agency-departure-reports.controller';
import { AgencyJobOrdersController } from './agency/agency-job-orders.controller';
import { AuthController } from './auth/auth.controller';
import { ConsultationsController } from './consultations/consultations.controller';
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
    ConsultationsModule,
    AccountsModule,
  ],
  controllers: [
    JobOrdersController,
    AgenciesController,
    ReferenceController,
    ConsultationsController,
    AuthController,
    AgencyConsultationsController,
    AgencyJobOrdersController,
    AgencyDepartureReportsController,
    AdminUsersController,
    AdminExchangeRatesController,
    HealthController,
    MetricsController,
  ],
})
export class ApiModule {}
