/** Queue names travel inside Redis with every job: never rename one, add a new one. */
export enum ConsultationQueue {
  Intake = 'consultation-intake',
  AgencyNotifications = 'agency-notifications',
}

/** What an agency's webhook is told about one of its leads. */
export type LeadEvent = 'consultation.assigned' | 'consultation.withdrawn' | 'applicant.erased';

/** Job payloads carry ids only: never names or phone numbers. No `event` means `consultation.assigned`. */
export interface ConsultationJob {
  requestId: string;
  event?: LeadEvent;
}

/** Job ids derived from the request id, so BullMQ keeps one job per request however often it is queued. */
export const intakeJobId = (requestId: string) => `intake-${requestId}`;
export const notifyJobId = (requestId: string, event: LeadEvent = 'consultation.assigned') =>
  event === 'consultation.assigned'
    ? `notify-${requestId}`
    : `notify-${event.replace('.', '-')}-${requestId}`;
