import { JobAlertMatcher, JobAlertMatchJob, JobAlertQueue } from '@app/job-alerts';
import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';

/** Matches each published order against the saved alerts; a failure is retried, a repeat texts nobody twice. */
@Processor(JobAlertQueue.Match, { concurrency: 2 })
export class JobAlertMatchProcessor extends LoggedWorkerHost {
  constructor(private readonly matcher: JobAlertMatcher) {
    super();
  }

  process(job: Job<JobAlertMatchJob>): Promise<string> {
    return this.matcher.match(job.data.orderId);
  }
}
