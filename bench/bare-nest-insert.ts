/**
 * The ceiling for POST /consultations: a minimal NestJS app on Fastify (the project's packages) whose one
 * POST endpoint does exactly one INSERT through a pg Pool and answers 202 {id}. No validation, no
 * logging, no crypto, no Redis.
 *
 *   node -r ./scripts/register-dist-paths.js dist/bench/bare-nest-insert.js [port]
 *
 * Port: argv[2], else PORT, else 3099. Database: DATABASE_URL. The table is created when missing.
 */
import 'reflect-metadata';

import { Body, Controller, Get, HttpCode, Inject, Module, OnApplicationShutdown, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';

const POOL = 'BARE_PG_POOL';
/** The same pool size as the project's TypeORM data source. */
const POOL_SIZE = 20;

@Controller()
class BareInsertController {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  @Post('insert')
  @HttpCode(202)
  async insert(@Body() body: Record<string, unknown>): Promise<{ id: string }> {
    const { rows } = await this.pool.query<{ id: string }>(
      'INSERT INTO bare_inserts (body) VALUES ($1) RETURNING id',
      [body],
    );
    return { id: rows[0].id };
  }

  /** Only for readiness polling. */
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

@Module({
  controllers: [BareInsertController],
  providers: [
    {
      provide: POOL,
      useFactory: async () => {
        const pool = new Pool({
          connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
          max: POOL_SIZE,
          application_name: 'bare-nest-insert',
        });
        await pool.query(
          `CREATE TABLE IF NOT EXISTS bare_inserts (
             id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
             body jsonb NOT NULL,
             created_at timestamptz NOT NULL DEFAULT now())`,
        );
        return pool;
      },
    },
  ],
})
class BareInsertModule implements OnApplicationShutdown {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 3099);
  const app = await NestFactory.create<NestFastifyApplication>(BareInsertModule, new FastifyAdapter(), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  console.log(`bare nest insert listening on http://127.0.0.1:${port}/insert`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
