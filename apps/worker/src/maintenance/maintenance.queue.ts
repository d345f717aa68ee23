/** Queue and job names travel inside Redis with every job: never rename one. */
export const MAINTENANCE_QUEUE = 'maintenance';

export enum MaintenanceJob {
  FlushViewCounts = 'flush-view-counts',
  ReconcileConsultations = 'reconcile-consultations',
  EraseExpiredPersonalData = 'erase-expired-personal-data',
}
