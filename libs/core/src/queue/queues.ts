/** Queue names travel inside Redis with every job: never rename one, add a new one. */
export enum QueueName {
  Maintenance = 'maintenance',
  ConsultationIntake = 'consultation-intake',
  AgencyNotifications = 'agency-notifications',
  Ranking = 'ranking',
}

export enum MaintenanceJob {
  FlushViewCounts = 'flush-view-counts',
  ReconcileConsultations = 'reconcile-consultations',
}

/** Job payloads carry ids only: never names or phone numbers. */
export interface ConsultationJob {
  requestId: string;
}

/** Job ids derived from the request id, so BullMQ keeps one job per request however often it is queued. */
export const intakeJobId = (requestId: string) => `intake-${requestId}`;
export const notifyJobId = (requestId: string) => `notify-${requestId}`;
