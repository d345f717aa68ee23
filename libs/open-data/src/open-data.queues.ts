/** Queue and job names travel inside Redis with every job: never rename one, add a new one. */
export const OPEN_DATA_QUEUE = 'open-data';

export enum OpenDataJob {
  /** Takes today's snapshot of each dataset that has none yet (Vietnam time), then drops expired ones. */
  Snapshot = 'snapshot-open-data',
}
