import { defineSettings, EnvInt, SettingsOf } from '@app/core';

class JobOrderVariables {
  @EnvInt(100, 3_600_000)
  VIEW_FLUSH_INTERVAL_MS = 5000;

  @EnvInt(0, 3600)
  LISTING_CACHE_TTL_SECONDS = 5;
}

export const JOB_ORDER_SETTINGS = defineSettings('job-orders', JobOrderVariables, (env) => ({
  viewFlushIntervalMs: env.VIEW_FLUSH_INTERVAL_MS,
  listingCacheTtlSeconds: env.LISTING_CACHE_TTL_SECONDS,
}));

export type JobOrderSettings = SettingsOf<typeof JOB_ORDER_SETTINGS>;
