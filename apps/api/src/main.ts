import 'reflect-metadata';

import { loadConfig, loadDotEnv } from '@app/core';

import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
  console.log(
    `xkld listening on http://localhost:${config.http.port}/ (web pages; API at /api/v1, docs at /api/docs)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
