import { defineFieldMessages, defineProblemMessages } from '@app/core';

import catalogue from './accounts.texts.json';

export const ACCOUNT_PROBLEMS = defineProblemMessages(catalogue.problems);

defineFieldMessages(catalogue.fields);

declare module '@app/core' {
  interface ProblemCatalogues {
    accounts: typeof ACCOUNT_PROBLEMS;
  }
}
