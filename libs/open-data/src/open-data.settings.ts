import { defineSettings, EnvInt, SettingsOf } from '@app/core';

class OpenDataVariables {
  /** Days a daily snapshot is kept (each holds every dataset as CSV and JSON, gzip-compressed). */
  @EnvInt(1, 3650)
  OPEN_DATA_SNAPSHOT_RETENTION_DAYS = 31;

  /** Live exports one api process streams at once; more are answered 429 with Retry-After. */
  @EnvInt(1, 1000)
  OPEN_DATA_MAX_CONCURRENT_EXPORTS = 8;
}

export const OPEN_DATA_SETTINGS = defineSettings('open-data', OpenDataVariables, (env) => ({
  snapshotRetentionDays: env.OPEN_DATA_SNAPSHOT_RETENTION_DAYS,
  maxConcurrentExports: env.OPEN_DATA_MAX_CONCURRENT_EXPORTS,
}));

export type OpenDataSettings = SettingsOf<typeof OPEN_DATA_SETTINGS>;
