import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';

import { definedSettings, LoadedSettings, readVariables, Settings, envInt } from './settings';

class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(envInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * The proxies in front of the api whose X-Forwarded-For is trusted, by address: IPs, CIDRs and `loopback`,
   * `linklocal`, `uniquelocal`, comma-separated (empty: none; the connection's address is the client's).
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
      : value,
  )
  @ValidateBy(
    { name: 'isProxyAddress', validator: { validate: isProxyAddress } },
    {
      each: true,
      message: 'TRUSTED_PROXIES must be IPs, CIDRs, loopback, linklocal or uniquelocal, comma-separated',
    },
  )
  TRUSTED_PROXIES: string[] = [];

  /** Replaced by TRUSTED_PROXIES: a hop count trusts whoever connects directly (refused when set). */
  @IsOptional()
  @IsIn(['', '0'], { message: 'TRUSTED_PROXY_HOPS is no longer read: list the proxies in TRUSTED_PROXIES' })
  TRUSTED_PROXY_HOPS?: string;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/xkld';

  /** Streaming replicas of DATABASE_URL for public reads, comma-separated (none: every read on the primary). */
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @Matches(/^\s*postgres(ql)?:\/\/[^,\s]+(\s*,\s*postgres(ql)?:\/\/[^,\s]+)*\s*$/, {
    message: 'DATABASE_REPLICA_URLS must be postgres:// URLs separated by commas',
  })
  DATABASE_REPLICA_URLS?: string;

  /** A replica further behind the primary than this is not read until it has caught up. */
  @Transform(envInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  DATABASE_REPLICA_MAX_LAG_SECONDS = 5;

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

  @Transform(envInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_TTL_SECONDS = 3600;

  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'ENCRYPTION_KEY must be 32 bytes in base64' })
  ENCRYPTION_KEY!: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Bearer token that GET /metrics requires; without one, production does not serve /metrics. */
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;
}

/** Core's settings, and each lib's (`defineSettings`) in `settings`. */
export interface AppConfig extends LoadedSettings {
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number; trustedProxies: string[] };
  databaseUrl: string;
  /** Streaming replicas for public reads (libs/core/src/database/replica-reads.ts); empty: none. */
  databaseReplicas: { urls: string[]; maxLagSeconds: number };
  redis: { url: string; prefix: string };
  jwt: { secret: string; issuer: string; audience: string; ttlSeconds: number };
  encryptionKey: Buffer;
  logLevel: string;
  metrics: { token: string | undefined };
}

export class ConfigError extends Error {}

/** Core's variables and those of every lib loaded in this process, validated together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const { values: raw, problems } = readVariables(EnvironmentVariables, env);
  const settings = new Map<Settings<unknown>, unknown>();
  for (const lib of definedSettings()) {
    const { value, problems: libProblems } = lib.read(env);
    settings.set(lib, value);
    problems.push(...libProblems);
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    env: raw.NODE_ENV as AppConfig['env'],
    http: { host: raw.HOST, port: raw.PORT, trustedProxies: raw.TRUSTED_PROXIES },
    databaseUrl: raw.DATABASE_URL,
    databaseReplicas: {
      urls: (raw.DATABASE_REPLICA_URLS ?? '')
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
      maxLagSeconds: raw.DATABASE_REPLICA_MAX_LAG_SECONDS,
    },
    redis: { url: raw.REDIS_URL, prefix: raw.REDIS_PREFIX },
    jwt: {
      secret: raw.JWT_SECRET,
      issuer: raw.JWT_ISSUER,
      audience: raw.JWT_AUDIENCE,
      ttlSeconds: raw.JWT_TTL_SECONDS,
    },
    encryptionKey: Buffer.from(raw.ENCRYPTION_KEY, 'base64'),
    logLevel: raw.LOG_LEVEL,
    metrics: { token: raw.METRICS_TOKEN },
    settings,
  };
}

/** Reads `.env` from the working directory (if present) into process.env, without overriding. */
export function loadDotEnv(path = resolve(process.cwd(), '.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** An address `@fastify/proxy-addr` compiles: an IP, a CIDR (IP/prefix) or one of its names for ranges. */
function isProxyAddress(entry: unknown): boolean {
  if (typeof entry !== 'string') return false;
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}
