import { ApplicantQueue, SmsJob, SmsService } from '@app/applicants';
import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';

/** Sends stored text messages through the SMS gateway; failures are retried with backoff. */
@Processor(ApplicantQueue.Sms, { concurrency: 8 })
export class SmsProcessor extends LoggedWorkerHost {
  constructor(private readonly sms: SmsService) {
    super();
  }

  process(job: Job<SmsJob>): Promise<string> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.sms.deliver(job.data.messageId, lastAttempt);
  }
}
