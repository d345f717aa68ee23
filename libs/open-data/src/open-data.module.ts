import { AgenciesModule } from '@app/agencies';
import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { OpenDataSnapshots } from './open-data-snapshots.service';
import { OPEN_DATA_SETTINGS } from './open-data.settings';
import { OpenDataService } from './open-data.service';
import { SnapshotsRepository } from './snapshots.repository';

/** The open datasets: read from the domains that own them, served live and as daily snapshots. */
@Module({
  imports: [ReferenceModule, AgenciesModule, JobOrdersModule],
  providers: [OPEN_DATA_SETTINGS.provider, SnapshotsRepository, OpenDataService, OpenDataSnapshots],
  exports: [OPEN_DATA_SETTINGS.token, OpenDataService, OpenDataSnapshots],
})
export class OpenDataModule {}
