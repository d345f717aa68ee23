import { ApplicantQueue } from '@app/applicants';
import { ConsultationQueue } from '@app/consultations';
import { JobsOptions } from 'bullmq';

export type OutboxQueue = ConsultationQueue | ApplicantQueue;

/** Retry policy per queue: exponential backoff; completed jobs are dropped so a re-drive can re-add them. */
export const JOB_OPTIONS: Record<OutboxQueue, JobsOptions> = {
  [ConsultationQueue.Intake]: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: 10_000,
  },
  [ConsultationQueue.AgencyNotifications]: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: true,
    removeOnFail: 10_000,
  },
  // A one-time code is worth little after its 5 minutes: a few quick retries, then the text is erased.
  [ApplicantQueue.Sms]: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: 10_000,
  },
};
