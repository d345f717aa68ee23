import { within } from '@app/core';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/** How long the api keeps serving, with `Connection: close`, before its listener closes (see drainApi). */
export const KEEP_ALIVE_SETTLE_MS = 1000;

const draining = new WeakSet<FastifyInstance>();

/**
 * Once the api drains, every answer carries `Connection: close`, so that a client's kept-alive connection is
 * closed by the api after an answer rather than under the client's next request. Call it at bootstrap.
 */
export function closeConnectionsWhenDraining(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (draining.has(fastify)) void reply.header('connection', 'close');
    done();
  });
}

/**
 * The api's part of a graceful stop (libs/core/src/lifecycle/shutdown.ts calls it on SIGTERM or SIGINT):
 * first HTTP, then the rest.
 *
 * 1. For KEEP_ALIVE_SETTLE_MS the api goes on serving, every answer with `Connection: close`: a client busy on a
 *    kept-alive connection gets its answer and a closed connection, instead of the connection closing while its
 *    next request is on the way (a reset for a request never read, which the client cannot tell from a lost
 *    one). A load balancer also has this time to stop sending new requests.
 * 2. Fastify's close: the listener stops accepting, connections still idle are closed, the requests in flight
 *    finish, and a request arriving on an open connection meanwhile is answered 503 with `Connection: close`.
 * 3. Requests still running `graceMs` after the signal have their connections cut (exit code 1).
 * 4. Only then is the Nest application closed, so that its hooks (database pools, Redis) never pull anything
 *    from under a request.
 *
 * Resolves with the exit code.
 */
export async function drainApi(app: NestFastifyApplication, graceMs: number): Promise<number> {
  const fastify = app.getHttpAdapter().getInstance();
  const started = Date.now();
  draining.add(fastify);
  await new Promise((resolve) => setTimeout(resolve, Math.min(KEEP_ALIVE_SETTLE_MS, graceMs / 2)));
  const closing = fastify.close();
  let code = 0;
  if ((await within(closing, Math.max(0, graceMs - (Date.now() - started)))) === 'timeout') {
    new Logger('Shutdown').warn({ graceMs }, 'requests still running after the grace period: cutting them');
    fastify.server.closeAllConnections();
    code = 1;
    await closing;
  }
  await app.close();
  return code;
}
