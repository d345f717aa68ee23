import { randomBytes } from 'node:crypto';

/** Where the suite finds its services; CI and developer machines run both on localhost. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * One migrated template per run, named by the run's process (global setup sets it before the workers
 * start), so two runs on one machine never drop each other's databases.
 */
export const TEMPLATE_DATABASE = (process.env.XKLD_TEST_TEMPLATE ??= `xkld_test_template_${process.pid}`);

export function databaseUrl(name: string): string {
  return `${TEST_SERVER_URL}/${name}`;
}

export function testEnv(database: string, redisPrefix: string): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(database),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    VIEW_FLUSH_INTERVAL_MS: '200',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Most files change rows behind the api's back; test/listing-cache.e2e-spec.ts covers the cache.
    LISTING_CACHE_TTL_SECONDS: '0',
    RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR: '100000',
    RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR: '1000',
    // Nothing listens there: texts fail fast and quietly unless a file points the gateway at a receiver.
    SMS_PROVIDER: 'http',
    SMS_HTTP_URL: 'http://127.0.0.1:9/sms',
    SMS_HTTP_SECRET: 'test-sms-secret-0123456789',
    // Alert texts leave at once whatever the hour the suite runs; test/job-alerts.e2e-spec.ts holds them.
    ALERT_QUIET_HOURS: 'off',
  };
}
