import { defineSettings, envInt, SettingsOf } from '@app/core';
import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

class AccountVariables {
  @IsOptional()
  @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters' })
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @Transform(envInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_FAILURES_PER_IP_PER_15_MINUTES = 10;

  @Transform(envInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_FAILURES_BEFORE_DELAY = 5;

  @Transform(envInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_LOGIN_LONGEST_DELAY_SECONDS = 3600;
}

export const ACCOUNT_SETTINGS = defineSettings(
  'accounts',
  AccountVariables,
  (env) => ({
    bootstrapAdmin: env.BOOTSTRAP_ADMIN_EMAIL
      ? { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD! }
      : undefined,
    loginLimits: {
      failuresPerIpPer15Minutes: env.RATE_LIMIT_LOGIN_FAILURES_PER_IP_PER_15_MINUTES,
      failuresBeforeDelay: env.RATE_LIMIT_LOGIN_FAILURES_BEFORE_DELAY,
      longestDelaySeconds: env.RATE_LIMIT_LOGIN_LONGEST_DELAY_SECONDS,
    },
  }),
  (env) =>
    Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)
      ? ['BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together']
      : [],
);

export type AccountSettings = SettingsOf<typeof ACCOUNT_SETTINGS>;
