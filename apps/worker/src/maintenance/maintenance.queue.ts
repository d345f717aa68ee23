/** Queue and job names travel inside Redis with every job: never rename one. */
export { MAINTENANCE_QUEUE } from '@app/core';

export enum MaintenanceJob {
  FlushViewCounts = 'flush-view-counts',
  ReconcileConsultations = 'reconcile-consultations',
  EraseExpiredPersonalData = 'erase-expired-personal-data',
}
