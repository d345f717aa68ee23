/** Queue names travel inside Redis with every job: never rename one, add a new one. */
export enum JobAlertQueue {
  Match = 'job-alert-match',
}

/** The published order's id: the worker reads everything else fresh. */
export interface JobAlertMatchJob {
  orderId: string;
}
