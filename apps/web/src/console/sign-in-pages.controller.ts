import { AuthService } from '@app/accounts';
import { ProblemException } from '@app/core';
import { Body, Get, Query, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { formFields } from '../forms';
import { problemText } from '../i18n';
import { WebSession } from '../session';
import { FormPost, PagesController, WebPages } from '../web-pages';
import { homeOf, safeNext } from './console';

/** Signing in and out of the consoles; sign-in is throttled exactly like `POST /auth/login`. */
@PagesController()
export class SignInPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @Get('dang-nhap')
  @Render('sign-in')
  form(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() raw: unknown,
  ) {
    const page = this.pages.context(request, reply);
    return {
      title: page.t('navSignIn'),
      noindex: true,
      values: { next: safeNext(formFields(raw).next) ?? '' },
      csrf: this.session.csrfToken(request, reply),
    };
  }

  @FormPost('dang-nhap')
  async signIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const page = this.pages.context(request, reply);
    const fields = formFields(body);
    try {
      const { accessToken, user } = await this.auth.login(
        fields.email ?? '',
        fields.password ?? '',
        request.ip,
      );
      this.session.signIn(request, reply, accessToken);
      return reply.redirect(page.href(safeNext(fields.next) ?? homeOf(user.role)), 303);
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() >= 500) throw error;
      void reply.headers(error.headers);
      return reply.status(error.getStatus() === 429 ? 429 : 401).view('sign-in', {
        title: page.t('navSignIn'),
        noindex: true,
        values: { email: fields.email ?? '', next: safeNext(fields.next) ?? '' },
        error: error.getStatus() === 429 ? problemText(error.code, page.lang) : page.t('invalidCredentials'),
        csrf: this.session.csrfToken(request, reply),
      });
    }
  }

  @FormPost('dang-xuat')
  signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const page = this.pages.context(request, reply);
    this.session.signOut(reply);
    return reply.redirect(page.href('/'), 303);
  }
}
