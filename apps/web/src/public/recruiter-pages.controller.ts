import { ProblemException } from '@app/core';
import { ReferenceService } from '@app/reference';
import {
  CreateRecruiterReportDto,
  RECRUITER_CHANNELS,
  RecruiterCheckQueryDto,
  RecruiterChecksService,
} from '@app/recruiters';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Render,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { FormErrors, fieldErrors, formErrorsOf, formFields, intField, validateDto } from '../forms';
import { PageContext } from '../page-context';
import { WebGuard, WebSession } from '../session';
import { WebExceptionFilter, WebPages } from '../web-pages';

/**
 * Check before you pay, and the report of a recruiter. The check is a POST form, like tracking: what a worker
 * looks up (a broker's number, the page that approached them) stays out of URLs, history, logs and Referer.
 */
@ApiExcludeController()
@Controller('kiem-tra')
@UseGuards(WebGuard)
@UseFilters(WebExceptionFilter)
export class RecruiterPagesController {
  constructor(
    private readonly recruiters: RecruiterChecksService,
    private readonly reference: ReferenceService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @Get()
  @Render('recruiter-check')
  form(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const page = this.pages.context(request, reply);
    return this.checkPage(page, request, reply, {}, { fields: {} });
  }

  @Post()
  @HttpCode(200)
  async check(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const page = this.pages.context(request, reply);
    const fields = formFields(body);
    void reply.header('cache-control', 'no-store');
    const { dto, errors } = validateDto(RecruiterCheckQueryDto, { q: fields.q ?? '' });
    let failure: FormErrors;
    if (errors.length) {
      failure = { fields: fieldErrors(errors, page.lang), status: 400 };
    } else {
      try {
        const result = await this.recruiters.check(dto, request.ip);
        return reply.view('recruiter-check', {
          ...this.checkPage(page, request, reply, fields, { fields: {} }),
          result,
        });
      } catch (error) {
        failure = formErrorsOf(error, page.lang);
      }
    }
    return reply
      .status(failure.status ?? 400)
      .view('recruiter-check', this.checkPage(page, request, reply, fields, failure));
  }

  @Get('bao-cao')
  async reportForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const page = this.pages.context(request, reply);
    return reply.view('recruiter-report', await this.reportPage(page, request, reply, {}, { fields: {} }));
  }

  @Post('bao-cao')
  @HttpCode(200)
  async report(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const page = this.pages.context(request, reply);
    const fields = formFields(body);
    void reply.header('cache-control', 'no-store');
    const optional = (key: string, value: unknown = fields[key]) => (fields[key] ? { [key]: value } : {});
    const plain: Record<string, unknown> = {
      promised: fields.promised ?? '',
      ...optional('recruiterName'),
      ...optional('recruiterPhone'),
      ...optional('recruiterLink'),
      ...optional('channel'),
      ...optional('country'),
      ...optional('askedAmountVnd', intField(fields.askedAmountVnd)),
      ...optional('paidAmountVnd', intField(fields.paidAmountVnd)),
      ...optional('detail'),
      ...optional('reporterPhone'),
      ...(fields.consent === 'yes' ? { consent: true } : {}),
    };
    const { dto, errors } = validateDto(CreateRecruiterReportDto, plain);
    let failure: FormErrors;
    if (errors.length) {
      failure = { fields: fieldErrors(errors, page.lang), form: page.t('formErrors'), status: 400 };
    } else {
      try {
        await this.recruiters.report(dto, request.ip);
        return reply.view('recruiter-report', { title: page.t('rcTitle'), sent: true });
      } catch (error) {
        failure = formErrorsOf(error, page.lang);
        if (error instanceof ProblemException && error.getStatus() === 400)
          failure.form = page.t('formErrors');
      }
    }
    return reply
      .status(failure.status ?? 400)
      .view('recruiter-report', await this.reportPage(page, request, reply, fields, failure));
  }

  private checkPage(
    page: PageContext,
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FormErrors,
  ) {
    return {
      title: page.t('checkTitle'),
      description: page.t('checkIntro'),
      canonical: page.canonical('/kiem-tra'),
      values,
      errors,
      csrf: this.session.csrfToken(request, reply),
    };
  }

  private async reportPage(
    page: PageContext,
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FormErrors,
  ) {
    return {
      title: page.t('rcTitle'),
      canonical: page.canonical('/kiem-tra/bao-cao'),
      channels: RECRUITER_CHANNELS,
      countries: await this.reference.countries(),
      values,
      errors,
      csrf: this.session.csrfToken(request, reply),
    };
  }
}
