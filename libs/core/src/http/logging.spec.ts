import { fastify, LogController } from 'fastify';

import { createLogger, logRequests, PinoLoggerService, requestId } from './logging';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}

describe('request logging', () => {
  it('writes one line per request with its id, method, path and status, never the query string', async () => {
    const { lines, logger } = capture();
    const app = fastify({
      loggerInstance: logger,
      genReqId: requestId,
      logController: new LogController({ disableRequestLogging: true }),
    });
    logRequests(app);
    app.get('/api/v1/items/:code', () => ({ ok: true }));
    app.get('/api/v1/health/live', () => ({ status: 'ok' }));

    const response = await app.inject({ url: '/api/v1/items/K7M3Q9T2XA?phone=0912345678' });
    await app.inject({ url: '/api/v1/health/live' });
    await app.close();

    expect(lines).toEqual([
      expect.objectContaining({
        reqId: response.headers['x-request-id'],
        method: 'GET',
        path: '/api/v1/items/K7M3Q9T2XA',
        statusCode: 200,
        msg: 'request completed',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('0912345678');
  });

  it("keeps a client's plain X-Request-Id and replaces anything else", async () => {
    const { logger } = capture();
    const app = fastify({
      loggerInstance: logger,
      genReqId: requestId,
      logController: new LogController({ disableRequestLogging: true }),
    });
    logRequests(app);
    app.get('/', () => 'ok');
    const kept = await app.inject({ url: '/', headers: { 'x-request-id': 'abc-12345678' } });
    const replaced = await app.inject({ url: '/', headers: { 'x-request-id': 'bad id\n{"level":60}' } });
    await app.close();
    expect(kept.headers['x-request-id']).toBe('abc-12345678');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("Nest's logger on pino", () => {
  it('keeps the context, merges object messages and records errors with their stack', () => {
    const { lines, logger } = capture();
    const nest = new PinoLoggerService(logger);
    nest.warn({ err: 'Redis down' }, 'cache degraded', 'RedisModule');
    nest.log('started', 'NestFactory');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionHandler');
    nest.debug('not at info level');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        context: 'RedisModule',
        err: 'Redis down',
        msg: 'cache degraded',
      }),
      expect.objectContaining({ level: 30, context: 'NestFactory', msg: 'started' }),
      expect.objectContaining({
        level: 50,
        context: 'ExceptionHandler',
        stack: 'Error: boom\n    at x',
        msg: 'boom',
      }),
    ]);
  });
});
