import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { redisOptions } from '../redis/redis.module';

export const queueRoot = BullModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ({
    prefix: `${config.redis.prefix}:bull`,
    connection: { ...redisOptions(config.redis.url), maxRetriesPerRequest: null },
    defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
  }),
});

@Module({ imports: [queueRoot], exports: [queueRoot] })
export class QueueModule {}
