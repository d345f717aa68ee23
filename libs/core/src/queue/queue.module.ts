import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { redisOptions } from '../redis/redis.module';

/** The prefix of every BullMQ key: the worker's queues, and what the api's operator tools read of them. */
export const queuePrefix = (config: AppConfig) => `${config.redis.prefix}:bull`;

/**
 * The queue of the worker's own periodic upkeep (counters, reconcilers, retention). Its jobs
 * are the worker's (apps/worker/src/maintenance), its name is here because the api's Bull Board and `/metrics`
 * list it with the libs' queues.
 */
export const MAINTENANCE_QUEUE = 'maintenance';

export const queueRoot = BullModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ({
    prefix: queuePrefix(config),
    connection: { ...redisOptions(config.redis.url), maxRetriesPerRequest: null },
    defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
  }),
});

@Module({ imports: [queueRoot], exports: [queueRoot] })
export class QueueModule {}
