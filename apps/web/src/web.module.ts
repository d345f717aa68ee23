import { AccountsModule } from '@app/accounts';
import { AgenciesModule } from '@app/agencies';
import { ApplicantsModule } from '@app/applicants';
import { ComplianceModule } from '@app/compliance';
import { ConsultationsModule } from '@app/consultations';
import { JobAlertsModule } from '@app/job-alerts';
import { JobOrdersModule } from '@app/job-orders';
import { OpenDataModule } from '@app/open-data';
import { RankingModule } from '@app/ranking';
import { RecruitersModule } from '@app/recruiters';
import { ReferenceModule } from '@app/reference';
import { RegulationModule } from '@app/regulation';
import { Module } from '@nestjs/common';

import { AdminPagesController } from './console/admin-pages.controller';
import { AgencyConsolePagesController } from './console/agency-console-pages.controller';
import { RegulatorPagesController } from './console/regulator-pages.controller';
import { RegulatorRecruiterPagesController } from './console/regulator-recruiter-pages.controller';
import { SignInPagesController } from './console/sign-in-pages.controller';
import { AgencyPagesController } from './public/agency-pages.controller';
import { AlertPagesController } from './public/alert-pages.controller';
import { CapsPagesController } from './public/caps-pages.controller';
import { ListingPagesController } from './public/listing-pages.controller';
import { OpenDataPagesController } from './public/open-data-pages.controller';
import { OrderPagesController } from './public/order-pages.controller';
import { RecruiterPagesController } from './public/recruiter-pages.controller';
import { SeoController } from './public/seo.controller';
import { TrackingPagesController } from './public/tracking-pages.controller';
import { WebGuard, WebSession } from './session';
import { WebPages } from './web-pages';
import { WEB_SETTINGS } from './web.settings';

/** Every page controller; their routes are served without the API's /api/v1 prefix (see web.bootstrap.ts). */
export const WEB_CONTROLLERS = [
  ListingPagesController,
  OrderPagesController,
  TrackingPagesController,
  RecruiterPagesController,
  CapsPagesController,
  AlertPagesController,
  AgencyPagesController,
  OpenDataPagesController,
  SeoController,
  SignInPagesController,
  AgencyConsolePagesController,
  RegulatorPagesController,
  RegulatorRecruiterPagesController,
  AdminPagesController,
];

/**
 * The web pages for people: server-rendered from the same domain services as the JSON API, in the same
 * process, with no call over HTTP between them.
 */
@Module({
  imports: [
    ReferenceModule,
    AgenciesModule,
    JobOrdersModule,
    ConsultationsModule,
    AccountsModule,
    RankingModule,
    RegulationModule,
    ComplianceModule,
    RecruitersModule,
    ApplicantsModule,
    JobAlertsModule,
    OpenDataModule,
  ],
  controllers: WEB_CONTROLLERS,
  providers: [WEB_SETTINGS.provider, WebPages, WebSession, WebGuard],
})
export class WebModule {}
