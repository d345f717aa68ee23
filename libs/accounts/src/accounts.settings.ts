import { defineSettings, EnvInt, SettingsOf } from '@app/core';
import { IsEmail, IsOptional, IsString, MinLength } from 'class-validator';

class AccountVariables {
  @IsOptional()
  @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters' })
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @EnvInt(1)
  RATE_LIMIT_LOGIN_FAILURES_PER_IP_PER_15_MINUTES = 10;

  @EnvInt(1)
  RATE_LIMIT_LOGIN_FAILURES_BEFORE_DELAY = 5;

  @EnvInt(1, 86_400)
  RATE_LIMIT_LOGIN_LONGEST_DELAY_SECONDS = 3600;

  @EnvInt(1)
  RATE_LIMIT_SIGNUP_EMAIL_TAKEN_PER_IP_PER_HOUR = 3;

  @EnvInt(1)
  RATE_LIMIT_SIGNUP_EMAIL_TAKEN_PER_HOUR = 30;
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
    signupLimits: {
      emailTakenPerIpPerHour: env.RATE_LIMIT_SIGNUP_EMAIL_TAKEN_PER_IP_PER_HOUR,
      emailTakenPerHour: env.RATE_LIMIT_SIGNUP_EMAIL_TAKEN_PER_HOUR,
    },
  }),
  (env) =>
    Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)
      ? ['BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together']
      : [],
);

export type AccountSettings = SettingsOf<typeof ACCOUNT_SETTINGS>;
