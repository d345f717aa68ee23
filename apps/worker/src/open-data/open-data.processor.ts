import { OPEN_DATA_QUEUE, OpenDataJob, OpenDataSnapshots } from '@app/open-data';
import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';

// A snapshot of a million orders takes a minute or so: the job's lock must outlast it (BullMQ renews it
// while the job runs; the bound matters when the worker dies mid-way, and the next run starts afresh).
@Processor(OPEN_DATA_QUEUE, { lockDuration: 120_000 })
export class OpenDataProcessor extends LoggedWorkerHost {
  constructor(private readonly snapshots: OpenDataSnapshots) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as OpenDataJob) {
      case OpenDataJob.Snapshot:
        return this.snapshots.takeDaily();
      default:
        this.logger.warn({ name: job.name }, 'unknown open-data job ignored');
        return undefined;
    }
  }
}
