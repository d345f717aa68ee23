import { ConfigError, defineSettings, SettingsOf } from '@app/core';
import { IsUrl, Matches } from 'class-validator';

import { parseQuietHours } from './quiet-hours';

class JobAlertVariables {
  /** Where the links in alert texts point: the pages' public address, as short as it can be. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  ALERT_LINK_BASE_URL = 'http://localhost:3000';

  /**
   * Hours of the Vietnam clock when alert texts wait (`from-to`, across midnight if need be), or `off`. Texts
   * matched then leave at the end: no phone buzzes at night, as the rules for advertising texts also ask
   * (Decree 91/2020/NĐ-CP: 07:00–22:00).
   */
  @Matches(/^(off|([01]?\d|2[0-3])-([01]?\d|2[0-3]))$/, {
    message: 'ALERT_QUIET_HOURS must be `off` or two hours from 0 to 23, such as 22-7',
  })
  ALERT_QUIET_HOURS = '22-7';
}

export const JOB_ALERT_SETTINGS = defineSettings('job-alerts', JobAlertVariables, (env) => {
  const quietHours = parseQuietHours(env.ALERT_QUIET_HOURS);
  if (quietHours && quietHours.from === quietHours.to) {
    throw new ConfigError('ALERT_QUIET_HOURS must start and end at different hours');
  }
  return { linkBaseUrl: env.ALERT_LINK_BASE_URL.replace(/\/+$/, ''), quietHours };
});

export type JobAlertSettings = SettingsOf<typeof JOB_ALERT_SETTINGS>;
