import 'reflect-metadata';

import {
  boundHeapGrowth,
  loadConfig,
  loadDotEnv,
  runProcesses,
  SHUTDOWN_SETTINGS,
  ShutdownSettings,
  stopOnSignals,
} from '@app/core';

import { createApiApp } from './bootstrap';
import { drainApi } from './drain';

// Streamed exports allocate fast: keep their garbage from growing the heap (libs/core/src/process/heap.ts).
boundHeapGrowth();

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
  const { apiGraceMs } = config.settings.get(SHUTDOWN_SETTINGS) as ShutdownSettings;
  // SIGTERM (or Ctrl-C): stop accepting, finish what is in flight, then close (drain.ts).
  stopOnSignals({ name: 'api', stop: () => drainApi(app, apiGraceMs), deadlineMs: apiGraceMs + 10_000 });
  console.log(
    `xkld listening on http://localhost:${config.http.port}/ (web pages; API at /api/v1, docs at /api/docs)`,
  );
}

// One process, or API_PROCESSES of them sharing the work (libs/core/src/process/processes.ts).
runProcesses({ name: 'api', variable: 'API_PROCESSES', start: main });
