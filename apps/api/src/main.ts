import 'reflect-metadata';

import { runService } from '@app/core';

import { createApiApp } from './bootstrap';
import { drainApi } from './drain';

runService({
  name: 'api',
  variable: 'API_PROCESSES',
  grace: 'apiGraceMs',
  start: async (config) => {
    const app = await createApiApp(config);
    await app.listen(config.http.port, config.http.host);
    return app;
  },
  // SIGTERM (or Ctrl-C): stop accepting, finish what is in flight, then close (drain.ts).
  drain: drainApi,
  ready: (config) =>
    `xkld listening on http://localhost:${config.http.port}/ (web pages; API at /api/v1, docs at /api/docs)`,
});
