import { defineFieldMessages, defineProblemMessages } from '@app/core';

import catalogue from './consultations.texts.json';

export const CONSULTATION_PROBLEMS = defineProblemMessages(catalogue.problems);

defineFieldMessages(catalogue.fields);

declare module '@app/core' {
  interface ProblemCatalogues {
    consultations: typeof CONSULTATION_PROBLEMS;
  }
}
