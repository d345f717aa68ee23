import { defineSettings, envInt, SettingsOf } from '@app/core';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

class DataRightsVariables {
  @Transform(envInt)
  @IsInt()
  @Min(1)
  @Max(120)
  PERSONAL_DATA_RETENTION_MONTHS = 24;
}

export const DATA_RIGHTS_SETTINGS = defineSettings('data-rights', DataRightsVariables, (env) => ({
  retentionMonths: env.PERSONAL_DATA_RETENTION_MONTHS,
}));

export type DataRightsSettings = SettingsOf<typeof DATA_RIGHTS_SETTINGS>;
