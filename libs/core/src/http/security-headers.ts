import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security (everywhere but development, where the api is reached over plain http). */
  hsts: boolean;
}

const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

// Swagger UI loads its own scripts, styles (some inline) and data: images, and fetches the document.
const DOCS_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** The headers helmet's middleware sets for `options`, read once from a stand-in response. */
function headersOf(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}

/** The security headers of every answer: the api's, and the API docs' page, whose CSP lets Swagger UI run. */
export function securityHeaders({ hsts }: SecurityHeaderOptions): {
  api: Readonly<Record<string, string>>;
  docs: Readonly<Record<string, string>>;
} {
  const common: HelmetOptions = {
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: hsts ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  };
  return {
    api: headersOf({ ...common, contentSecurityPolicy: API_CSP }),
    docs: headersOf({ ...common, contentSecurityPolicy: DOCS_CSP }),
  };
}

/**
 * Sets the security headers on every answer, errors and unknown routes included; the Swagger UI pages under
 * `docsPath` get the CSP that lets them run. The headers are helmet's, computed once at boot, not
 * @fastify/helmet's, which rebuilds helmet's middleware on every request (docs/decisions.md).
 */
export function addSecurityHeaders(
  fastify: FastifyInstance,
  headers: ReturnType<typeof securityHeaders>,
  docsPath: string,
): void {
  const docsPage = new RegExp(`^${docsPath}(/|\\?|$)`);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(
      request.url.startsWith(docsPath) && docsPage.test(request.url) ? headers.docs : headers.api,
    );
    done();
  });
}
