import { defineFieldMessages, defineProblemMessages } from '@app/core';

import catalogue from './agencies.texts.json';

export const AGENCY_PROBLEMS = defineProblemMessages(catalogue.problems);

defineFieldMessages(catalogue.fields);

declare module '@app/core' {
  interface ProblemCatalogues {
    agencies: typeof AGENCY_PROBLEMS;
  }
}
