import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === 'true' || value === '1';

class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Trust X-Forwarded-For from this many proxies in front of the api (0: none). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUSTED_PROXY_HOPS = 0;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/xkld';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[a-z0-9_-]{1,40}$/i, { message: 'REDIS_PREFIX must be 1-40 letters, digits, - or _' })
  REDIS_PREFIX = 'xkld';

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET!: string;

  @IsString()
  JWT_ISSUER = 'xkld';

  @IsString()
  JWT_AUDIENCE = 'xkld-api';

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_TTL_SECONDS = 3600;

  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'ENCRYPTION_KEY must be 32 bytes in base64' })
  ENCRYPTION_KEY!: string;

  @IsOptional()
  @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters' })
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  VIEW_FLUSH_INTERVAL_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  LISTING_CACHE_TTL_SECONDS = 5;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  RECONCILE_AFTER_SECONDS = 30;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number; trustedProxyHops: number };
  databaseUrl: string;
  redis: { url: string; prefix: string };
  jwt: { secret: string; issuer: string; audience: string; ttlSeconds: number };
  encryptionKey: Buffer;
  bootstrapAdmin?: { email: string; password: string };
  viewFlushIntervalMs: number;
  listingCacheTtlSeconds: number;
  logLevel: string;
  webhookAllowPrivate: boolean;
  rateLimits: { consultationsPerIpPerHour: number; consultationsPerPhonePerHour: number };
  reconcileAfterSeconds: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = plainToInstance(EnvironmentVariables, { ...env }, { exposeDefaultValues: true });
  const problems = validateSync(raw, { whitelist: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  if (Boolean(raw.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(raw.BOOTSTRAP_ADMIN_PASSWORD)) {
    problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    env: raw.NODE_ENV as AppConfig['env'],
    http: { host: raw.HOST, port: raw.PORT, trustedProxyHops: raw.TRUSTED_PROXY_HOPS },
    databaseUrl: raw.DATABASE_URL,
    redis: { url: raw.REDIS_URL, prefix: raw.REDIS_PREFIX },
    jwt: {
      secret: raw.JWT_SECRET,
      issuer: raw.JWT_ISSUER,
      audience: raw.JWT_AUDIENCE,
      ttlSeconds: raw.JWT_TTL_SECONDS,
    },
    encryptionKey: Buffer.from(raw.ENCRYPTION_KEY, 'base64'),
    bootstrapAdmin: raw.BOOTSTRAP_ADMIN_EMAIL
      ? { email: raw.BOOTSTRAP_ADMIN_EMAIL, password: raw.BOOTSTRAP_ADMIN_PASSWORD! }
      : undefined,
    viewFlushIntervalMs: raw.VIEW_FLUSH_INTERVAL_MS,
    listingCacheTtlSeconds: raw.LISTING_CACHE_TTL_SECONDS,
    logLevel: raw.LOG_LEVEL,
    webhookAllowPrivate: raw.WEBHOOK_ALLOW_PRIVATE,
    rateLimits: {
      consultationsPerIpPerHour: raw.RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR,
      consultationsPerPhonePerHour: raw.RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR,
    },
    reconcileAfterSeconds: raw.RECONCILE_AFTER_SECONDS,
  };
}

/** Reads `.env` from the working directory (if present) into process.env, without overriding. */
export function loadDotEnv(path = resolve(process.cwd(), '.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
