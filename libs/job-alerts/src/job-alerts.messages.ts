import { defineProblemMessages } from '@app/core';

import catalogue from './job-alerts.texts.json';

export const JOB_ALERT_PROBLEMS = defineProblemMessages(catalogue.problems);

declare module '@app/core' {
  interface ProblemCatalogues {
    jobAlerts: typeof JOB_ALERT_PROBLEMS;
  }
}
