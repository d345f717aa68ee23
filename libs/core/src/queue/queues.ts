/** Queue names travel inside Redis with every job: never rename one, add a new one. */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum MaintenanceJob {
  FlushViewCounts = 'flush-view-counts',
}
