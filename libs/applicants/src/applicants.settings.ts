import { defineSettings, envInt, SettingsOf } from '@app/core';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

class ApplicantVariables {
  @IsIn(['console', 'http'])
  SMS_PROVIDER: 'console' | 'http' = 'console';

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SMS_HTTP_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(16)
  SMS_HTTP_SECRET?: string;

  @Transform(envInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  APPLICANT_TOKEN_TTL_SECONDS = 1800;

  @Transform(envInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_OTP_PER_PHONE_PER_HOUR = 5;

  @Transform(envInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_OTP_PER_IP_PER_HOUR = 20;
}

export const APPLICANT_SETTINGS = defineSettings(
  'applicants',
  ApplicantVariables,
  (env) => ({
    sms:
      env.SMS_PROVIDER === 'http'
        ? { provider: 'http' as const, url: env.SMS_HTTP_URL!, secret: env.SMS_HTTP_SECRET! }
        : { provider: 'console' as const },
    tokenTtlSeconds: env.APPLICANT_TOKEN_TTL_SECONDS,
    rateLimits: {
      otpPerPhonePerHour: env.RATE_LIMIT_OTP_PER_PHONE_PER_HOUR,
      otpPerIpPerHour: env.RATE_LIMIT_OTP_PER_IP_PER_HOUR,
    },
  }),
  (env) =>
    env.SMS_PROVIDER === 'http' && !(env.SMS_HTTP_URL && env.SMS_HTTP_SECRET)
      ? ['SMS_PROVIDER=http needs SMS_HTTP_URL and SMS_HTTP_SECRET']
      : [],
);

export type ApplicantSettings = SettingsOf<typeof APPLICANT_SETTINGS>;
