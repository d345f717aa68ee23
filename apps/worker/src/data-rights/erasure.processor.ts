import { DataRightsQueue, DataRightsService, ErasureJob } from '@app/data-rights';
import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';

/** Carries out applicants' erasures; a failure is retried, and a repeat finds the erasure done. */
@Processor(DataRightsQueue.Erasure, { concurrency: 2 })
export class ErasureProcessor extends LoggedWorkerHost {
  constructor(private readonly dataRights: DataRightsService) {
    super();
  }

  process(job: Job<ErasureJob>): Promise<string> {
    return this.dataRights.erase(job.data.erasureId);
  }
}
