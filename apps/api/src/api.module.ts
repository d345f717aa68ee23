import { AccountsModule } from '@app/accounts';
import { AgenciesModule } from '@app/agencies';
import { ApplicantsModule } from '@app/applicants';
import { ComplianceModule } from '@app/compliance';
import { ConsultationsModule } from '@app/consultations';
import { DataRightsModule } from '@app/data-rights';
import { AppConfigModule, DatabaseModule, RedisModule } from '@app/core';
import { JobAlertsModule } from '@app/job-alerts';
import { JobOrdersModule } from '@app/job-orders';
import { OpenDataModule } from '@app/open-data';
import { RankingModule } from '@app/ranking';
import { RecruitersModule } from '@app/recruiters';
import { ReferenceModule } from '@app/reference';
import { RegulationModule } from '@app/regulation';
import { WebModule } from '@app/web';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AdminExchangeRatesController } from './admin/admin-exchange-rates.controller';
import { AdminUsersController } from './admin/admin-users.controller';
import { AgenciesController } from './agencies/agencies.controller';
import { MeController } from './applicants/me.controller';
import { PhoneVerificationsController } from './applicants/phone-verifications.controller';
import { AgencyConsultationsController } from './agency/agency-consultations.controller';
import { AgencyDepartureReportsController } from './agency/agency-departure-reports.controller';
import { AgencyJobOrdersController } from './agency/agency-job-orders.controller';
import { AgencyProfileController } from './agency/agency-profile.controller';
import { AuthController } from './auth/auth.controller';
import { ComplianceCapsController } from './compliance/compliance-caps.controller';
import { ConsultationsController } from './consultations/consultations.controller';
import { HealthController } from './health/health.controller';
import { AlertStopsController } from './job-alerts/alert-stops.controller';
import { MeAlertsController } from './job-alerts/me-alerts.controller';
import { MetricsController } from './health/metrics.controller';
import { JobOrderReportsController } from './job-orders/job-order-reports.controller';
import { JobOrdersController } from './job-orders/job-orders.controller';
import { OpenDataController } from './open-data/open-data.controller';
import { OperationsModule } from './operations/operations.module';
import { RankingController } from './ranking/ranking.controller';
import { ReviewsController } from './ranking/reviews.controller';
import { RecruitersController } from './recruiters/recruiters.controller';
import { ReferenceController } from './reference/reference.controller';
import { RegulatorAgenciesController } from './regulator/regulator-agencies.controller';
import { RegulatorAuditController } from './regulator/regulator-audit.controller';
import { RegulatorFlagsController } from './regulator/regulator-flags.controller';
import { RegulatorJobOrdersController } from './regulator/regulator-job-orders.controller';
import { RegulatorRecruiterReportsController } from './regulator/regulator-recruiter-reports.controller';
import { RegulatorSuspensionsController } from './regulator/regulator-suspensions.controller';
import { StatsController } from './stats/stats.controller';

@Module({
  imports: [
    AppConfigModule,
    DatabaseModule,
    RedisModule,
    TerminusModule,
    ReferenceModule,
    AgenciesModule,
    JobOrdersModule,
    ApplicantsModule,
    ConsultationsModule,
    DataRightsModule,
    JobAlertsModule,
    AccountsModule,
    RankingModule,
    RegulationModule,
    ComplianceModule,
    RecruitersModule,
    OpenDataModule,
    WebModule,
    OperationsModule,
  ],
  controllers: [
    JobOrdersController,
    JobOrderReportsController,
    RankingController,
    AgenciesController,
    ReferenceController,
    ConsultationsController,
    ReviewsController,
    PhoneVerificationsController,
    MeController,
    MeAlertsController,
    AlertStopsController,
    AuthController,
    AgencyConsultationsController,
    AgencyJobOrdersController,
    AgencyDepartureReportsController,
    AgencyProfileController,
    AdminUsersController,
    AdminExchangeRatesController,
    RegulatorAgenciesController,
    RegulatorJobOrdersController,
    RegulatorFlagsController,
    RegulatorRecruiterReportsController,
    RegulatorSuspensionsController,
    RegulatorAuditController,
    StatsController,
    OpenDataController,
    RecruitersController,
    ComplianceCapsController,
    HealthController,
    MetricsController,
  ],
})
export class ApiModule {}
