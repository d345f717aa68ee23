/** Queue names travel inside Redis with every job: never rename one, add a new one. */
export enum DataRightsQueue {
  Erasure = 'applicant-erasure',
}

/** The erasure request's id: never the phone. */
export interface ErasureJob {
  erasureId: string;
}
