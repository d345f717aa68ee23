import { join } from 'node:path';

import { ProblemException } from '@app/core';
import { RequestMethod } from '@nestjs/common';
import { RouteInfo } from '@nestjs/common/interfaces';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Eta } from 'eta';

import { WEB_ROOT } from './assets';
import { isPageRequest } from './page-context';
import { WebPages } from './web-pages';
import { WEB_CONTROLLERS } from './web.module';

/**
 * The pages' Content-Security-Policy: every asset from the app itself, no inline script or style, forms
 * posted only to the app. (JSON-LD blocks are data, not scripts: CSP does not apply to them.)
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const CONSOLE_PATH = /^\/(agency|regulator|admin|dang-nhap|dang-xuat)(\/|\?|$)/;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const join2 = (a: string, b: string) =>
  `/${[a, b]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/** The routes of the page controllers, to be served without the API's global prefix. */
export function webRoutes(): RouteInfo[] {
  return WEB_CONTROLLERS.flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (typeof handler !== 'function' || name === 'constructor') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) return [];
      return [{ path: join2(base ?? '', path), method }];
    });
  });
}

/** An urlencoded form as an object of strings (a repeated field as an array of them). */
export function parseForm(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (UNSAFE_KEYS.has(key)) continue;
    const known = fields[key];
    fields[key] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value];
  }
  return fields;
}

/**
 * Mounts the pages on the api's Fastify instance: the Eta views (escaping every value), urlencoded form
 * bodies for page routes only (the JSON API still takes JSON alone), the fingerprinted assets, each
 * request's page context, and the pages' own security headers. Call it after the API's security headers
 * are set up, before listening.
 */
export function mountWeb(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const pages = app.get(WebPages);

  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (request, body, done) => {
      if (!isPageRequest(request.url))
        return done(new ProblemException(415, 'UNSUPPORTED_MEDIA_TYPE'), undefined);
      done(null, parseForm(body as string));
    },
  );

  app.setViewEngine({
    engine: { eta: new Eta({ autoEscape: true, autoTrim: [false, 'nl'], cache: true }) },
    templates: join(WEB_ROOT, 'views'),
    production: true,
  });
  pages.assets.register(fastify);

  fastify.addHook('preHandler', (request, reply, done) => {
    if (isPageRequest(request.url)) pages.context(request, reply);
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isPageRequest(request.url)) {
      void reply.header('content-security-policy', PAGE_CSP);
      void reply.header('referrer-policy', 'strict-origin-when-cross-origin');
      if (CONSOLE_PATH.test(request.url)) void reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
