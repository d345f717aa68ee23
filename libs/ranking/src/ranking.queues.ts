/** Queue and job names travel inside Redis with every job: never rename one. */
export const RANKING_QUEUE = 'ranking';

export enum RankingJob {
  Fold = 'fold-ranking-events',
  Rescore = 'rescore-ranking',
  Recompute = 'recompute-ranking',
}
