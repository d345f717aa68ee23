import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { LoggerService } from '@nestjs/common';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import pino, { DestinationStream, Logger, LevelWithSilent } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
const UNLOGGED = /^\/(metrics|api\/v1\/health\/)/;

/** The one pino logger of a process: structured JSON on stdout (or `destination`). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino({ level }, destination) : pino({ level });
}

/** A client's X-Request-Id when it is a plain token, otherwise a fresh one. */
export function requestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * One line per request (id, method, path without its query string, which may carry a phone number, status,
 * time), written from Fastify's own hooks on its per-request child logger. pino-http as Nest middleware did
 * the same through middie and an AsyncLocalStorage per request, which halved the throughput of light routes.
 */
export function logRequests<L extends FastifyBaseLogger>(
  fastify: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, L>,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const path = request.url.split('?')[0];
    if (!UNLOGGED.test(path)) {
      // Flat fields: Fastify's own `req`/`res` serializers would drop anything but their fields.
      request.log.info(
        {
          method: request.method,
          path,
          statusCode: reply.statusCode,
          responseTime: Number(reply.elapsedTime.toFixed(2)),
        },
        'request completed',
      );
    }
    done();
  });
}

const LEVELS: Record<'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal', LevelWithSilent> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * Nest's logger on pino. Nest calls `warn(message, ...params, context)`; an object message is merged into
 * the line (pino style: `logger.warn({ err }, 'text')` keeps `err` as a field and `text` as the message).
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(method: keyof typeof LEVELS, message: unknown, params: unknown[]): void {
    const level = LEVELS[method];
    if (!this.logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const log = this.logger[level as Exclude<LevelWithSilent, 'silent'>].bind(this.logger);
    if (message instanceof Error) {
      log({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      log({ context, ...message }, typeof rest[0] === 'string' ? rest[0] : undefined);
    } else if (method === 'error' && typeof rest[0] === 'string') {
      // Nest's own error(message, stack, context).
      log({ context, stack: rest[0] }, String(message));
    } else {
      log({ context }, String(message));
    }
  }
}
