import { ConsultationIntakeService } from '@app/consultations';
import { ProblemException } from '@app/core';
import { Body, Get, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { formFields } from '../forms';
import { WebSession } from '../session';
import { FormPost, PagesController, WebPages } from '../web-pages';

/** Tracking by code and phone. The phone is posted, never put in a URL. */
@PagesController('tra-cuu')
export class TrackingPagesController {
  constructor(
    private readonly intake: ConsultationIntakeService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @Get()
  @Render('tracking')
  form(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const page = this.pages.context(request, reply);
    return { title: page.t('trackTitle'), values: {}, csrf: this.session.csrfToken(request, reply) };
  }

  @FormPost()
  async track(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const page = this.pages.context(request, reply);
    const fields = formFields(body);
    const data = {
      title: page.t('trackTitle'),
      values: fields,
      csrf: this.session.csrfToken(request, reply),
    };
    void reply.header('cache-control', 'no-store');
    try {
      const tracking = await this.intake.track(fields.code ?? '', fields.phone ?? '', request.ip);
      return reply.view('tracking', { ...data, tracking });
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() !== 404) throw error;
      return reply.status(404).view('tracking', { ...data, notFound: true });
    }
  }
}
