import { defineSettings, SettingsOf, envInt } from '@app/core';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

class JobOrderVariables {
  @Transform(envInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  VIEW_FLUSH_INTERVAL_MS = 5000;

  @Transform(envInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  LISTING_CACHE_TTL_SECONDS = 5;
}

export const JOB_ORDER_SETTINGS = defineSettings('job-orders', JobOrderVariables, (env) => ({
  viewFlushIntervalMs: env.VIEW_FLUSH_INTERVAL_MS,
  listingCacheTtlSeconds: env.LISTING_CACHE_TTL_SECONDS,
}));

export type JobOrderSettings = SettingsOf<typeof JOB_ORDER_SETTINGS>;
