import { randomUUID } from 'node:crypto';

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import {
  fieldMessage,
  interpolate,
  Lang,
  Message,
  negotiateLanguage,
  problemMessage,
  ProblemCode,
} from './messages';
import { ProblemException } from './problem.exception';

const CODE_BY_STATUS: Partial<Record<number, ProblemCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: { field: string; message: string }[];
  errorId?: string;
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const lang = negotiateLanguage(request.headers['accept-language']);
    const { status, code, params, fieldErrors, headers, extensions } = this.classify(exception);

    const messages = problemMessage(code, lang) ?? this.unregistered(code, status, lang);
    const problem: Problem = {
      ...extensions,
      type: `urn:xkld:problem:${code.toLowerCase().replace(/_/g, '-')}`,
      title: messages.title,
      status,
      detail: interpolate(messages.detail, params),
      code,
    };
    if (fieldErrors?.length) {
      problem.errors = fieldErrors.map(({ field, constraint }) => ({
        field,
        message: fieldMessage(constraint, lang),
      }));
    }
    if (code === 'INTERNAL_ERROR') problem.errorId = String(params.errorId);

    void reply
      .status(status)
      .headers({
        ...headers,
        'content-language': lang,
        'content-type': 'application/problem+json; charset=utf-8',
      })
      .send(problem);
  }

  /** A code whose lib never registered its messages still answers, with its status's generic text. */
  private unregistered(code: string, status: number, lang: Lang): Message {
    this.logger.warn({ code }, 'problem code without registered messages');
    const generic = CODE_BY_STATUS[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR');
    return problemMessage(generic, lang)!;
  }

  private classify(exception: unknown) {
    if (exception instanceof ProblemException) {
      return {
        status: exception.getStatus(),
        code: exception.code,
        params: exception.params,
        fieldErrors: exception.fieldErrors,
        headers: exception.headers,
        extensions: exception.extensions,
      };
    }
    const status = exception instanceof HttpException ? exception.getStatus() : fastifyStatus(exception);
    const code = status === undefined ? undefined : CODE_BY_STATUS[status];
    if (status !== undefined && code) {
      const headers: Record<string, string> = {};
      if (status === 429) headers['retry-after'] = '60';
      return { status, code, params: {}, fieldErrors: undefined, headers, extensions: {} };
    }
    const errorId = randomUUID();
    this.logger.error(
      {
        errorId,
        err:
          exception instanceof Error
            ? { name: exception.name, message: exception.message, stack: exception.stack }
            : exception,
      },
      'Unhandled error',
    );
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL_ERROR' as const,
      params: { errorId },
      fieldErrors: undefined,
      headers: {},
      extensions: {},
    };
  }
}

/** Errors raised by Fastify itself (bad JSON, wrong content type, body too large) carry a statusCode. */
function fastifyStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { statusCode, code } = exception as { statusCode?: unknown; code?: unknown };
  if (
    typeof code === 'string' &&
    code.startsWith('FST_') &&
    typeof statusCode === 'number' &&
    statusCode < 500
  ) {
    return statusCode;
  }
  return undefined;
}
