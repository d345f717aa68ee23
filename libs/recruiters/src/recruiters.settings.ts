import { defineSettings, EnvInt, SettingsOf } from '@app/core';

class RecruiterVariables {
  @EnvInt(1)
  RATE_LIMIT_RECRUITER_REPORTS_PER_IP_PER_HOUR = 10;

  @EnvInt(1)
  RATE_LIMIT_RECRUITER_CHECKS_PER_IP_PER_HOUR = 300;
}

export const RECRUITER_SETTINGS = defineSettings('recruiters', RecruiterVariables, (env) => ({
  reportsPerIpPerHour: env.RATE_LIMIT_RECRUITER_REPORTS_PER_IP_PER_HOUR,
  checksPerIpPerHour: env.RATE_LIMIT_RECRUITER_CHECKS_PER_IP_PER_HOUR,
}));

export type RecruiterSettings = SettingsOf<typeof RECRUITER_SETTINGS>;
