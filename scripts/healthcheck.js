#!/usr/bin/env node
// The container's HEALTHCHECK (Dockerfile): Node's own fetch, so the image needs no curl or wget.
//
// One image runs the api or the worker, chosen by the command. The api is healthy when
// GET /api/v1/health/live answers 2xx within 4 s on 127.0.0.1:$PORT (liveness only: PostgreSQL or Redis
// being away is /health/ready's business, and must not get the container restarted). The worker serves no
// HTTP: a container whose main process is the worker is healthy while that process runs, and it exits when it
// cannot go on (Docker's restart policy then starts it again).
/* global fetch, AbortSignal -- Node 18+ has them; eslint.config.mjs lists only the older globals */
const { readFileSync } = require('node:fs');

let main = '';
try {
  // PID 1 is the container's command (or tini before it, with `init: true` / `docker run --init`).
  main = readFileSync('/proc/1/cmdline', 'utf8').replace(/\0/g, ' ');
} catch {
  // not on Linux: probe HTTP
}
if (/apps\/worker\/src\/main\.js|start:worker/.test(main)) process.exit(0);

const port = process.env.PORT || '3000';
fetch(`http://127.0.0.1:${port}/api/v1/health/live`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
