import { QueueName } from '@app/core';
import { JobsOptions } from 'bullmq';

/** Retry policy per queue: exponential backoff; completed jobs are dropped so a re-drive can re-add them. */
export const JOB_OPTIONS: Partial<Record<QueueName, JobsOptions>> = {
  [QueueName.ConsultationIntake]: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: 10_000,
  },
  [QueueName.AgencyNotifications]: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: true,
    removeOnFail: 10_000,
  },
};
