import 'reflect-metadata';

import { createLogger, loadConfig, loadDotEnv, PinoLoggerService } from '@app/core';
import { NestFactory } from '@nestjs/core';

import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  loadDotEnv();
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: new PinoLoggerService(createLogger(loadConfig().logLevel)),
  });
  app.enableShutdownHooks();
  console.log('xkld worker running');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
