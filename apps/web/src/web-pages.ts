import { randomUUID } from 'node:crypto';

import type { Role } from '@app/accounts';
import { ProblemException } from '@app/core';
import { ReferenceService } from '@app/reference';
import {
  applyDecorators,
  ArgumentsHost,
  Catch,
  Controller,
  createParamDecorator,
  ExceptionFilter,
  ExecutionContext,
  Get,
  Header,
  HttpCode,
  HttpException,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
  Post,
  Render,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { WebAssets } from './assets';
import { problemText } from './i18n';
import {
  attachPageContext,
  buildPageContext,
  PageContext,
  pageContextOf,
  ReferenceNames,
} from './page-context';
import { ConsoleRoles, CsrfRefused, SignInRequired, WebGuard } from './session';
import { WEB_SETTINGS, WebSettings } from './web.settings';

/** The pages' shared means: assets, reference names, and each request's page context. */
@Injectable()
export class WebPages implements OnModuleInit {
  readonly assets = new WebAssets();
  private names: ReferenceNames = { countries: new Map(), industries: new Map(), programs: new Map() };

  constructor(
    private readonly reference: ReferenceService,
    @Inject(WEB_SETTINGS.token) private readonly settings: WebSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    const [countries, industries, programs] = await Promise.all([
      this.reference.countries(),
      this.reference.industries(),
      this.reference.programs(),
    ]);
    const byCode = (rows: { code: string; nameVi: string; nameEn: string }[]) =>
      new Map(rows.map((row) => [row.code, { vi: row.nameVi, en: row.nameEn }]));
    this.names = { countries: byCode(countries), industries: byCode(industries), programs: byCode(programs) };
  }

  context(request: FastifyRequest, reply: FastifyReply): PageContext {
    const existing = pageContextOf(request);
    if (existing) return existing;
    const context = buildPageContext(request, this.assets, this.names, this.settings.publicUrl);
    attachPageContext(request, reply, context);
    return context;
  }
}

/** A page for something that existed and is gone for good: 410 with the reason and a way on. */
export class Gone extends HttpException {
  constructor(
    readonly reasonKey: 'goneTakenDown' | 'goneClosed' | 'goneAgency',
    readonly country: string,
  ) {
    super('gone', 410);
  }
}

/** Every failure of a page is a page: sign-in redirect, 403, 404, 410, 429, or 500 with an error id. */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebPages');

  constructor(private readonly pages: WebPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const page = this.pages.context(request, reply);
    if (exception instanceof SignInRequired) {
      const next = exception.next && exception.next.startsWith('/') ? exception.next : '';
      void reply.redirect(page.href('/dang-nhap', { next }), 303);
      return;
    }
    const view = (status: number, data: Record<string, unknown>) =>
      void reply
        .status(status)
        .header('cache-control', 'no-store')
        // The context's canonical() builds links; an error page has no canonical URL.
        .view('error', { title: data.heading, canonical: undefined, ...data });
    if (exception instanceof CsrfRefused) {
      return view(403, { heading: page.t('csrfTitle'), text: page.t('csrfText') });
    }
    if (exception instanceof Gone) {
      return view(410, {
        heading: page.t('goneTitle'),
        text: page.t(exception.reasonKey),
        link: {
          href: page.href('/', { country: exception.country }),
          text: page.t('similarOrders', { country: page.country(exception.country) }),
        },
      });
    }
    if (exception instanceof ProblemException) {
      const status = exception.getStatus();
      if (status === 404)
        return view(404, { heading: page.t('notFoundTitle'), text: page.t('notFoundText') });
      void reply.headers(exception.headers);
      const heading = status === 429 ? page.t('rateLimitedTitle') : page.t('errorTitle');
      return view(status, { heading, text: problemText(exception.code, page.lang) });
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      if (status === 403)
        return view(403, { heading: page.t('forbiddenTitle'), text: page.t('forbiddenText') });
      if (status === 404)
        return view(404, { heading: page.t('notFoundTitle'), text: page.t('notFoundText') });
      return view(status, { heading: page.t('errorTitle'), text: page.t('notFoundText') });
    }
    const errorId = randomUUID();
    // The error's name, message and stack only: a page's data may hold personal details.
    this.logger.error(
      {
        errorId,
        path: page.path,
        err:
          exception instanceof Error
            ? { name: exception.name, message: exception.message, stack: exception.stack }
            : String(exception),
      },
      'Unhandled page error',
    );
    view(500, { heading: page.t('errorTitle'), text: page.t('errorText', { errorId }) });
  }
}

/**
 * A controller of pages: every request passes WebGuard (a post's CSRF token, a console's roles), every failure
 * is a page (WebExceptionFilter), and none is in the API's document. With `roles` it is a console's.
 */
export const PagesController = (path = '/', roles?: Role | readonly Role[]) =>
  applyDecorators(
    ApiExcludeController(),
    Controller(path),
    UseGuards(WebGuard),
    UseFilters(WebExceptionFilter),
    ...(roles ? [ConsoleRoles(...(typeof roles === 'string' ? [roles] : roles))] : []),
  );

/** A public page rendered with `view`: its language follows Accept-Language unless the URL names it. */
export const PublicPage = (path: string, view: string) =>
  applyDecorators(Get(path), Render(view), Header('vary', 'Accept-Language'));

/** A handler's parameter: the request's page context, which the pages' preHandler hook (mountWeb) has built. */
export const CurrentPage = createParamDecorator((_: unknown, context: ExecutionContext): PageContext => {
  const page = pageContextOf(context.switchToHttp().getRequest<FastifyRequest>());
  if (!page) throw new Error('No page context: the pages are served without mountWeb');
  return page;
});

/** A form's POST: answered 200 when the form is shown again (Nest answers a POST 201 by default). */
export const FormPost = (path?: string) => applyDecorators(Post(path), HttpCode(200));
