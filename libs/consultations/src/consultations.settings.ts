import { defineSettings, EnvInt, SettingsOf, envBool, envInt } from '@app/core';
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

  /** Milliseconds to open a connection to an agency's webhook. */
  @EnvInt(100, 30_000)
  WEBHOOK_CONNECT_TIMEOUT_MS = 2000;

  /** Milliseconds for the webhook's answer once the lead is sent (its headers; the body is not read). */
  @EnvInt(100, 60_000)
  WEBHOOK_RESPONSE_TIMEOUT_MS = 3000;

  /** Deliveries in flight to one agency's webhook at once (per worker process). */
  @EnvInt(1, 256)
  WEBHOOK_CONCURRENCY_PER_AGENCY = 16;

  /** Deliveries in flight to all webhooks at once (per worker process). */
  @EnvInt(1, 4096)
  WEBHOOK_CONCURRENCY = 256;

  /** Consecutive failures (errors, timeouts, non-2xx answers) that open an endpoint's circuit. */
  @EnvInt(1, 1000)
  WEBHOOK_CIRCUIT_FAILURES = 5;

  /** Seconds between probes of an open circuit (one delivery, the oldest parked). */
  @EnvInt(1, 3600)
  WEBHOOK_PROBE_INTERVAL_SECONDS = 5;
}

export const CONSULTATION_SETTINGS = defineSettings('consultations', ConsultationVariables, (env) => ({
  rateLimits: {
    consultationsPerIpPerHour: env.RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR,
    consultationsPerPhonePerHour: env.RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR,
  },
  reconcileAfterSeconds: env.RECONCILE_AFTER_SECONDS,
  webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
  webhooks: {
    connectTimeoutMs: env.WEBHOOK_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: env.WEBHOOK_RESPONSE_TIMEOUT_MS,
    concurrencyPerAgency: env.WEBHOOK_CONCURRENCY_PER_AGENCY,
    concurrency: env.WEBHOOK_CONCURRENCY,
    circuitFailures: env.WEBHOOK_CIRCUIT_FAILURES,
    probeIntervalSeconds: env.WEBHOOK_PROBE_INTERVAL_SECONDS,
  },
}));

export type ConsultationSettings = SettingsOf<typeof CONSULTATION_SETTINGS>;
