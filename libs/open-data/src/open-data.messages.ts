import { defineFieldMessages, defineProblemMessages } from '@app/core';

import catalogue from './open-data.texts.json';

export const OPEN_DATA_PROBLEMS = defineProblemMessages(catalogue.problems);

defineFieldMessages(catalogue.fields);

declare module '@app/core' {
  interface ProblemCatalogues {
    openData: typeof OPEN_DATA_PROBLEMS;
  }
}
