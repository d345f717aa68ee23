import 'reflect-metadata';

import { randomBytes } from 'node:crypto';

import { ApplicantTokens } from '@app/applicants';
import { normalizeVietnamesePhone, PersonalDataCipher } from '@app/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import request from 'supertest';
import { Client } from 'pg';

import { createApiApp } from '../../apps/api/src/bootstrap';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { databaseUrl, TEMPLATE_DATABASE, TEST_REDIS_URL, TEST_SERVER_URL, testEnv } from './env';

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: `${TEST_SERVER_URL}/postgres` });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * One test file's world: its own database cloned from the migrated template, its own Redis key prefix,
 * the api as production builds it, and (on request) a worker in the same process.
 */
export class TestContext {
  readonly db: Client;
  api!: NestFastifyApplication;
  worker?: INestApplicationContext;

  private constructor(
    readonly database: string,
    readonly redisPrefix: string,
  ) {
    this.db = new Client({ connectionString: databaseUrl(database) });
  }

  /** `env` may depend on the file's database (a replica's URL names it). */
  static async create(
    options: {
      worker?: boolean;
      env?: Record<string, string> | ((database: string) => Record<string, string>);
    } = {},
  ): Promise<TestContext> {
    const suffix = randomBytes(6).toString('hex');
    const context = new TestContext(`xkld_test_${suffix}`, `test-${suffix}`);
    await adminQuery(`CREATE DATABASE ${context.database} TEMPLATE ${TEMPLATE_DATABASE}`);
    const env = typeof options.env === 'function' ? options.env(context.database) : options.env;
    Object.assign(process.env, testEnv(context.database, context.redisPrefix), env);
    await context.db.connect();
    context.api = await createApiApp();
    // Listening already: supertest would otherwise start and close the one server per request, resetting
    // the connections of concurrent requests.
    await context.api.listen(0, '127.0.0.1');
    if (options.worker) await context.startWorker();
    return context;
  }

  async startWorker(): Promise<void> {
    this.worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await this.worker.init();
  }

  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  get http() {
    return this.api.getHttpServer();
  }

  /** Requests to the api's /api/v1 paths carrying `token` as a bearer token. */
  as(token: string) {
    const send = (method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, body?: object) => {
      const req = request(this.http)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
      return body === undefined && (method === 'get' || method === 'delete') ? req : req.send(body ?? {});
    };
    return {
      get: (path: string) => send('get', path),
      post: (path: string, body?: object) => send('post', path, body),
      patch: (path: string, body: object) => send('patch', path, body),
      put: (path: string, body: object) => send('put', path, body),
      delete: (path: string) => send('delete', path),
    };
  }

  /** Signs in through the api and returns the access token. */
  async login(email: string, password: string): Promise<string> {
    const { body } = await request(this.http)
      .post('/api/v1/auth/login')
      .send({ email, password })
      .expect(200);
    return body.accessToken as string;
  }

  /** The token a confirmed one-time code gives for `phone` (test/applicants.e2e-spec.ts covers the codes). */
  applicantToken(phone: string): string {
    const cipher = this.api.get(PersonalDataCipher, { strict: false });
    const tokens = this.api.get(ApplicantTokens, { strict: false });
    return tokens.issue({ phoneHash: cipher.lookupHash(normalizeVietnamesePhone(phone)!) }).applicantToken;
  }

  /** Polls `check` until it returns a value other than undefined, or fails after the deadline. */
  async waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async redisKeys(pattern: string): Promise<string[]> {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      return await redis.keys(`${this.redisPrefix}:${pattern}`);
    } finally {
      redis.disconnect();
    }
  }

  /** This file's share of a FLUSHALL: every key under its prefix. */
  async deleteRedisKeys(): Promise<void> {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${this.redisPrefix}:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.api?.close();
    await this.db.end();
    await adminQuery(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    await this.deleteRedisKeys();
  }
}
