import 'reflect-metadata';

import {
  boundHeapGrowth,
  checkEvictionPolicy,
  createLogger,
  loadConfig,
  loadDotEnv,
  PinoLoggerService,
  runProcesses,
  SHUTDOWN_SETTINGS,
  ShutdownSettings,
  stopOnSignals,
} from '@app/core';
import { NestFactory } from '@nestjs/core';

import { drainWorker } from './lifecycle/queue-workers';
import { WorkerModule } from './worker.module';

// The daily open-data snapshot allocates fast: keep its garbage from growing the heap (libs/core/src/process/heap.ts).
boundHeapGrowth();

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // Before any queue is touched: a Redis that may evict keys would lose jobs (libs/core/src/redis/eviction-policy.ts).
  const verdict = await checkEvictionPolicy(config.redis.url, (message) => logger.warn(message));
  if (verdict.action === 'refuse') {
    logger.fatal({ maxmemoryPolicy: verdict.policy }, verdict.message);
    process.exit(1);
  }
  if (verdict.action === 'warn') logger.warn(verdict.message);

  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: new PinoLoggerService(logger),
  });
  const { workerGraceMs } = config.settings.get(SHUTDOWN_SETTINGS) as ShutdownSettings;
  // SIGTERM (or Ctrl-C): take no more jobs, finish the running ones, then close (lifecycle/queue-workers.ts).
  stopOnSignals({
    name: 'worker',
    stop: () => drainWorker(app, workerGraceMs),
    deadlineMs: workerGraceMs + 10_000,
  });
  console.log('xkld worker running');
}

// One process, or WORKER_PROCESSES of them sharing the work (libs/core/src/process/processes.ts).
runProcesses({ name: 'worker', variable: 'WORKER_PROCESSES', start: main });
