import { ApplicantQueue } from '@app/applicants';
import { ConsultationQueue } from '@app/consultations';
import { DataRightsQueue } from '@app/data-rights';
import { JobAlertQueue } from '@app/job-alerts';
import { JobsOptions } from 'bullmq';

export type OutboxQueue = ConsultationQueue | ApplicantQueue | DataRightsQueue | JobAlertQueue;

/**
 * `attempts` tries with exponential backoff from `delay` ms; completed jobs are dropped so that a re-drive
 * can add them again.
 */
const retried = (attempts: number, delay: number): JobsOptions => ({
  attempts,
  backoff: { type: 'exponential', delay },
  removeOnComplete: true,
  removeOnFail: 10_000,
});

/** Retry policy per queue. */
export const JOB_OPTIONS: Record<OutboxQueue, JobsOptions> = {
  [ConsultationQueue.Intake]: retried(5, 1000),
  [ConsultationQueue.AgencyNotifications]: retried(8, 2000),
  // A one-time code is worth little after its 5 minutes: a few quick retries, then the text is erased.
  [ApplicantQueue.Sms]: retried(5, 1000),
  // Erasure must happen within 72 hours: retried for about a day, and the reconciler is not needed.
  [DataRightsQueue.Erasure]: retried(12, 30_000),
  // A new order is news for a day: retried for about half an hour, then its alerts miss it.
  [JobAlertQueue.Match]: retried(8, 15_000),
};
