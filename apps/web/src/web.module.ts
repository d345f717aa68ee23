import { AccountsModule } from '@app/accounts';
import { AgenciesModule } from '@app/agencies';
import { ComplianceModule } from '@app/compliance';
import { ConsultationsModule } from '@app/consultations';
import { JobOrdersModule } from '@app/job-orders';
import { RankingModule } from '@app/ranking';
import { ReferenceModule } from '@app/reference';
import { RegulationModule } from '@app/regulation';
import { Module } from '@nestjs/common';

import { AdminPagesController } from './console/admin-pages.controller';
import { AgencyConsolePagesController } from './console/agency-console-pages.controller';
import { RegulatorPagesController } from './console/regulator-pages.controller';
import { SignInPagesController } from './console/sign-in-pages.controller';
import { AgencyPagesController } from './public/agency-pages.controller';
import { ListingPagesController } from './public/listing-pages.controller';
import { OrderPagesController } from './public/order-pages.controller';
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
  AgencyPagesController,
  SeoController,
  SignInPagesController,
  AgencyConsolePagesController,
  RegulatorPagesController,
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
  ],
  controllers: WEB_CONTROLLERS,
  providers: [WEB_SETTINGS.provider, WebPages, WebSession, WebGuard],
})
export class WebModule {}
