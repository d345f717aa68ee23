import { DataRightsService } from '@app/data-rights';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * At start, hashes the phones stored before they had a keyed hash (DataRightsService.hashLegacyPhones), in the
 * background: the worker serves its queues meanwhile, and a failure is tried again at the next start. Every
 * worker process runs it; the updates skip what another has done.
 */
@Injectable()
export class LegacyPhoneHashes implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LegacyPhoneHashes.name);
  private running?: Promise<void>;

  constructor(private readonly dataRights: DataRightsService) {}

  onApplicationBootstrap(): void {
    this.running = this.dataRights.hashLegacyPhones().then(
      (hashed) => {
        if (hashed > 0) this.logger.log({ hashed }, 'call-back numbers of earlier recruiter reports hashed');
      },
      (error: unknown) =>
        this.logger.warn(
          { err: error instanceof Error ? error.message : error },
          'call-back numbers of earlier recruiter reports not hashed; tried again at the next start',
        ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }
}
