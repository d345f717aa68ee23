import { defineProblemMessages } from '@app/core';

import catalogue from './ranking.texts.json';

export const RANKING_PROBLEMS = defineProblemMessages(catalogue.problems);

declare module '@app/core' {
  interface ProblemCatalogues {
    ranking: typeof RANKING_PROBLEMS;
  }
}
