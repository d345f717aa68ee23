import { defineFieldMessages, defineProblemMessages } from '@app/core';

import catalogue from './job-orders.texts.json';

export const JOB_ORDER_PROBLEMS = defineProblemMessages(catalogue.problems);

defineFieldMessages(catalogue.fields);

declare module '@app/core' {
  interface ProblemCatalogues {
    jobOrders: typeof JOB_ORDER_PROBLEMS;
  }
}
