import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { ProblemCode, sendProblem } from '@app/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { WebSession } from '../session';
import { WebPages } from '../web-pages';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The board's own Content-Security-Policy, in place of the pages' (web.bootstrap.ts): its scripts, styles and
 * data all come from /admin/queues itself, but it needs inline styles (its loading placeholder has style
 * attributes, and its React injects style elements: in Chromium, `style-src 'self'` alone blocks each, one
 * console error apiece), and it sets `<base href>` to find its assets. Scripts stay 'self' only. The Google
 * Fonts stylesheet its page links to is refused: the board falls back to system fonts, and an operator's
 * browser does not call Google from the admin console.
 */
export const QUEUE_BOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const BOARD_API = /^\/admin\/queues\/api(\/|\?|$)/;
const BOARD_STATIC = /^\/admin\/queues\/static\//;

function refuse(reply: FastifyReply, status: number, code: ProblemCode, headers?: Record<string, string>) {
  sendProblem(reply, status, code, headers);
  return reply;
}

/**
 * Mounts the Bull Board (`@bull-board/fastify`) at /admin/queues on the api's Fastify instance, showing
 * `queues`, for the admin console's users only:
 *
 * - the console's session cookie decides (WebSession, as for every console page): without one, a page is
 *   answered with the sign-in redirect and the board's JSON with 401; a user of another role gets 403;
 * - the board is read-only: every queue is in Bull Board's read-only mode (no retry, clean, promote, pause,
 *   add or edit), and any method but GET and HEAD is refused with 405 here before it reaches the board.
 *   Failed jobs are re-driven by the system itself (see README, "Operating"), never by hand from a page;
 * - its answers get QUEUE_BOARD_CSP and `Cache-Control: no-store`, except its fingerprinted static files.
 *
 * The routes are Fastify's, not Nest controllers, so they are not in the OpenAPI document. Call it after
 * mountWeb, before listening.
 */
export function mountQueueBoard(app: NestFastifyApplication, queues: Queue[]): void {
  const fastify = app.getHttpAdapter().getInstance();
  const session = app.get(WebSession);
  const pages = app.get(WebPages);

  const board = new FastifyAdapter();
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter: board,
    options: {
      uiConfig: {
        boardTitle: 'xkld queues',
        hideDocsLink: true,
        miscLinks: [{ text: 'Admin console', url: '/admin/nguoi-dung' }],
      },
    },
  });
  board.setBasePath(QUEUE_BOARD_PATH);

  // An async hook that answers returns the reply, so that Fastify stops there.
  const admit = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const user = await session.user(request);
    const page = request.method === 'GET' && !BOARD_API.test(request.url);
    if (!user) {
      if (!page) return refuse(reply, 401, 'UNAUTHENTICATED');
      const context = pages.context(request, reply);
      return reply.redirect(context.href('/dang-nhap', { next: request.url }), 303);
    }
    if (user.role !== 'admin') {
      if (!page) return refuse(reply, 403, 'FORBIDDEN');
      const context = pages.context(request, reply);
      const heading = context.t('forbiddenTitle');
      // The root instance's Eta (the board's own scope renders its page with EJS).
      const html = await fastify.view('error', {
        ...context,
        title: heading,
        heading,
        text: context.t('forbiddenText'),
        // The context's canonical() builds links; a refusal has no canonical URL.
        canonical: undefined,
        noindex: true,
      });
      return reply.code(403).type('text/html; charset=utf-8').send(html);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(reply, 405, 'METHOD_NOT_ALLOWED', { allow: 'GET, HEAD' });
    }
    return undefined;
  };

  void fastify.register(async (scope) => {
    scope.addHook('onRequest', admit);
    // After the pages' onSend hook (registered on the root, so it runs first), which set the pages' CSP.
    scope.addHook('onSend', (request, reply, payload, done) => {
      void reply.header('content-security-policy', QUEUE_BOARD_CSP);
      void reply.header(
        'cache-control',
        BOARD_STATIC.test(request.url) && reply.statusCode === 200 ? 'private, max-age=86400' : 'no-store',
      );
      done(null, payload);
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
