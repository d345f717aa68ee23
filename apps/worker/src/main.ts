import 'reflect-metadata';

import { checkEvictionPolicy, createLogger, PinoLoggerService, runService } from '@app/core';
import { NestFactory } from '@nestjs/core';

import { drainWorker } from './lifecycle/queue-workers';
import { WorkerModule } from './worker.module';

runService({
  name: 'worker',
  variable: 'WORKER_PROCESSES',
  grace: 'workerGraceMs',
  start: async (config) => {
    const logger = createLogger(config.logLevel);
    // Before any queue is touched: a Redis that may evict keys would lose jobs (libs/core/src/redis/eviction-policy.ts).
    const verdict = await checkEvictionPolicy(config.redis.url, (message) => logger.warn(message));
    if (verdict.action === 'refuse') {
      logger.fatal({ maxmemoryPolicy: verdict.policy }, verdict.message);
      process.exit(1);
    }
    if (verdict.action === 'warn') logger.warn(verdict.message);
    return NestFactory.createApplicationContext(WorkerModule, { logger: new PinoLoggerService(logger) });
  },
  // SIGTERM (or Ctrl-C): take no more jobs, finish the running ones, then close (lifecycle/queue-workers.ts).
  drain: drainWorker,
  ready: () => 'xkld worker running',
});
