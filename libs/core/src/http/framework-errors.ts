import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { Lang, negotiateLanguage, problemMessage, ProblemCode } from '../problem/messages';
import { ProblemException } from '../problem/problem.exception';

type Headers = Readonly<Record<string, string>>;

/** The problem document of a code without params, as ProblemFilter renders it. */
export function problemDocument(status: number, code: ProblemCode, lang: Lang) {
  const message = problemMessage(code, lang) ?? problemMessage('BAD_REQUEST', lang)!;
  return {
    type: `urn:xkld:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: message.title,
    status,
    detail: message.detail,
    code,
  };
}

/** Answers from a hook or a framework handler, outside Nest and its filter. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: ProblemCode,
  headers: Headers = {},
): void {
  const lang = negotiateLanguage(reply.request.headers['accept-language']);
  void reply
    .code(status)
    .headers({
      ...headers,
      'content-language': lang,
      'content-type': 'application/problem+json; charset=utf-8',
    })
    .send(JSON.stringify(problemDocument(status, code, lang)));
}

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (400) or a path parameter over
 * `maxParamLength` (414). Fastify's own answer named its error code and echoed the whole path.
 */
export function frameworkErrorHandler(securityHeaders: Headers) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
      return sendProblem(reply, 414, 'URI_TOO_LONG', securityHeaders);
    sendProblem(reply, 400, 'BAD_REQUEST', securityHeaders);
  };
}

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses before any route (a head over
 * `maxHeaderSize`, which a very long URL also is, a malformed request line, a head sent too slowly). The
 * headers could not be read, so the answer is in Vietnamese, the default language.
 */
export function clientErrorHandler(securityHeaders: Headers) {
  const head = Object.entries(securityHeaders)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code]: [number, ProblemCode] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'REQUEST_TIMEOUT']
          : [400, 'BAD_REQUEST'];
    const body = JSON.stringify(problemDocument(status, code, 'vi'));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}content-language: vi\r\n` +
        `content-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  };
}

/**
 * JSON is the only body the api takes: other types are a 415 (Fastify would pass text/plain through to
 * validation), and a body that is not JSON is a 400 `MALFORMED_JSON` (Nest would turn Fastify's error into
 * a bare 400 without its code). Prototype poisoning is refused as Fastify's parser refuses it.
 */
export function acceptJsonOnly(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // A signed body is verified over its bytes, not over a re-serialisation of what was parsed.
    if ((request.routeOptions.config as { [KEEP_RAW_BODY]?: boolean } | undefined)?.[KEEP_RAW_BODY]) {
      (request as { [RAW_BODY]?: string })[RAW_BODY] = body as string;
    }
    return parse(request, body as string, (error, value) =>
      error ? done(new ProblemException(400, 'MALFORMED_JSON'), undefined) : done(null, value),
    );
  });
}

/** Route config (`@RouteConfig({ [KEEP_RAW_BODY]: true })`) that keeps the JSON body's text for `rawBodyOf`. */
export const KEEP_RAW_BODY = 'keepRawBody';
const RAW_BODY = Symbol('raw body');

/** The JSON body as received, on a route that asked for it with KEEP_RAW_BODY; undefined elsewhere. */
export function rawBodyOf(request: object): string | undefined {
  return (request as { [RAW_BODY]?: string })[RAW_BODY];
}

interface KnownRoute {
  pattern: RegExp;
  methods: string[];
}

function routePattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment.startsWith(':')
        ? '[^/]+'
        : segment === '*'
          ? '.*'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * A URL longer than `maxUrlLength` is a 414; a request for an existing path with a method it does not
 * serve is a 405 with `Allow` (Fastify would answer 404). Register before the routes: it learns them as they
 * are added. Only unmatched requests pay for the lookup.
 */
export function refuseUnroutable(fastify: FastifyInstance, { maxUrlLength }: { maxUrlLength: number }): void {
  const routes: KnownRoute[] = [];
  fastify.addHook('onRoute', ({ url, method }) => {
    const methods = Array.isArray(method) ? method : [method];
    const known = routes.find((route) => route.pattern.source === routePattern(url).source);
    if (known) known.methods.push(...methods.filter((m) => !known.methods.includes(m)));
    else routes.push({ pattern: routePattern(url), methods: [...methods] });
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url.length > maxUrlLength) return sendProblem(reply, 414, 'URI_TOO_LONG');
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = [
      ...new Set(routes.filter((route) => route.pattern.test(path)).flatMap((r) => r.methods)),
    ];
    if (allowed.length === 0) return done();
    sendProblem(reply, 405, 'METHOD_NOT_ALLOWED', { allow: allowed.sort().join(', ') });
  });
}
