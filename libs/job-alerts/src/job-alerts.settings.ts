import { defineSettings, SettingsOf } from '@app/core';
import { IsUrl } from 'class-validator';

class JobAlertVariables {
  /** Where the links in alert texts point: the pages' public address, as short as it can be. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  ALERT_LINK_BASE_URL = 'http://localhost:3000';
}

export const JOB_ALERT_SETTINGS = defineSettings('job-alerts', JobAlertVariables, (env) => ({
  linkBaseUrl: env.ALERT_LINK_BASE_URL.replace(/\/+$/, ''),
}));

export type JobAlertSettings = SettingsOf<typeof JOB_ALERT_SETTINGS>;
