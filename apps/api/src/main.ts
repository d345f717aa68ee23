import 'reflect-metadata';

import { AppConfig, APP_CONFIG, loadDotEnv } from '@app/core';

import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  loadDotEnv();
  const app = await createApiApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.http.port, config.http.host);
  console.log(`xkld api listening on http://localhost:${config.http.port}/api/v1 (docs at /api/docs)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
