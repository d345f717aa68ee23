/** Queue names travel inside Redis with every job: never rename one, add a new one. */
export enum ConsultationQueue {
  Intake = 'consultation-intake',
  AgencyNotifications = 'agency-notifications',
}

/** Job payloads carry ids only: never names or phone numbers. */
export interface ConsultationJob {
  requestId: string;
}

/** Job ids derived from the request id, so BullMQ keeps one job per request however often it is queued. */
export const intakeJobId = (requestId: string) => `intake-${requestId}`;
export const notifyJobId = (requestId: string) => `notify-${requestId}`;
