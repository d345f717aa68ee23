import { defineSettings, SettingsOf, envBool, envInt } from '@app/core';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';

class ConsultationVariables {
  @Transform(envInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR = 30;

  @Transform(envInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR = 5;

  @Transform(envInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  RECONCILE_AFTER_SECONDS = 30;

  @Transform(envBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE = false;
}

export const CONSULTATION_SETTINGS = defineSettings('consultations', ConsultationVariables, (env) => ({
  rateLimits: {
    consultationsPerIpPerHour: env.RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR,
    consultationsPerPhonePerHour: env.RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR,
  },
  reconcileAfterSeconds: env.RECONCILE_AFTER_SECONDS,
  webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
}));

export type ConsultationSettings = SettingsOf<typeof CONSULTATION_SETTINGS>;
