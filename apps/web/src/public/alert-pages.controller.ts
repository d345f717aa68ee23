import { ApplicantTokens, maskPhone, PhoneVerificationsService } from '@app/applicants';
import { normalizeVietnamesePhone, PersonalDataCipher, ProblemException } from '@app/core';
import {
  ALERT_CONSENT_VERSION,
  CreateJobAlertDto,
  JobAlertsService,
  MAX_ACTIVE_ALERTS,
  orderIdFromShortCode,
} from '@app/job-alerts';
import { ReferenceService } from '@app/reference';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { FormErrors, formErrorsOf, formFields, intField, submitForm } from '../forms';
import { PageContext } from '../page-context';
import { readCookies, WebGuard, WebSession } from '../session';
import { WebExceptionFilter, WebPages } from '../web-pages';

/** The proof of the phone on this browser: the applicant token and the phone, sealed, in an HttpOnly cookie. */
const APPLICANT_COOKIE = 'xkld_applicant';
const ALERTS = '/thong-bao-viec-lam';

interface Proof {
  phoneHash: string;
  phone: string;
}

/**
 * Job alerts for people: prove the phone (number → code), then list, add and end alerts; the stop page a
 * text's link opens; and the short order links texts carry. No page puts the phone in a URL: it is posted,
 * then kept sealed (AES-GCM under the personal-data key) in an HttpOnly cookie beside the applicant token,
 * for as long as the token lives. Forms carry the CSRF token like every other page.
 */
@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
@UseFilters(WebExceptionFilter)
export class AlertPagesController {
  constructor(
    private readonly alerts: JobAlertsService,
    private readonly verifications: PhoneVerificationsService,
    private readonly tokens: ApplicantTokens,
    private readonly cipher: PersonalDataCipher,
    private readonly reference: ReferenceService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @Get('thong-bao-viec-lam')
  async manage(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const page = this.page(request, reply);
    const proof = this.proofOf(request);
    if (!proof) return reply.view('alerts', this.provePage(page, request, reply, {}, { fields: {} }));
    return reply.view('alerts', await this.managePage(page, request, reply, proof, {}, { fields: {} }));
  }

  /** Step one: a code for the phone (rate-limited like the API's, and the answer is the same for any phone). */
  @Post('thong-bao-viec-lam/ma')
  @HttpCode(200)
  async sendCode(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const page = this.page(request, reply);
    const fields = formFields(body);
    try {
      const started = await this.verifications.start(fields.phone ?? '', request.ip);
      return reply.view('alerts', {
        ...this.provePage(page, request, reply, fields, { fields: {} }),
        step: 'code',
        verificationId: started.verificationId,
      });
    } catch (error) {
      const errors = formErrorsOf(error, page.lang);
      return reply
        .status(errors.status ?? 400)
        .view('alerts', this.provePage(page, request, reply, fields, errors));
    }
  }

  /** Step two: the code; the browser keeps the proof until the token expires. */
  @Post('thong-bao-viec-lam/xac-minh')
  @HttpCode(200)
  async confirm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const page = this.page(request, reply);
    const fields = formFields(body);
    const phone = normalizeVietnamesePhone(fields.phone ?? '');
    const codeStep = (errors: FormErrors) =>
      reply.status(errors.status ?? 400).view('alerts', {
        ...this.provePage(page, request, reply, fields, errors),
        step: 'code',
        verificationId: fields.verificationId,
      });
    if (!phone || !/^\d{6}$/.test(fields.code ?? '')) {
      return codeStep({ fields: { code: [page.t('formErrors')] }, status: 400 });
    }
    let token: { applicantToken: string; expiresIn: number };
    try {
      token = await this.verifications.confirm(fields.verificationId ?? '', fields.code ?? '');
    } catch (error) {
      if (error instanceof ProblemException && error.code === 'OTP_INVALID') {
        return codeStep(formErrorsOf(error, page.lang));
      }
      // Expired, used up or unknown: back to the first step, with why.
      const errors =
        error instanceof ProblemException && error.getStatus() === 404
          ? { fields: {}, form: page.t('notFoundText'), status: 404 }
          : formErrorsOf(error, page.lang);
      return reply
        .status(errors.status ?? 400)
        .view('alerts', this.provePage(page, request, reply, {}, errors));
    }
    const applicant = this.tokens.verify(token.applicantToken);
    // The phone posted with the code must be the one the code went to.
    if (!applicant || this.cipher.lookupHash(phone) !== applicant.phoneHash) {
      return reply
        .status(403)
        .view(
          'alerts',
          this.provePage(page, request, reply, {}, this.problem(page, 'PHONE_NOT_PROVEN', 403)),
        );
    }
    const sealed = this.cipher.encrypt(JSON.stringify({ t: token.applicantToken, p: phone }));
    void reply.header('set-cookie', this.session.cookie(APPLICANT_COOKIE, sealed, token.expiresIn));
    return reply.redirect(page.href(ALERTS), 303);
  }

  @Post('thong-bao-viec-lam')
  @HttpCode(200)
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const page = this.page(request, reply);
    const proof = this.proofOf(request);
    if (!proof)
      return reply.status(401).view('alerts', this.provePage(page, request, reply, {}, { fields: {} }));
    const fields = formFields(body);
    const plain = {
      phone: proof.phone,
      consent: fields.consent === 'yes',
      ...(fields.q ? { q: fields.q } : {}),
      ...(fields.country ? { country: fields.country } : {}),
      ...(fields.industry ? { industry: fields.industry } : {}),
      ...(fields.program ? { program: fields.program } : {}),
      ...(fields.gender ? { gender: fields.gender } : {}),
      ...(fields.birthYear ? { birthYear: intField(fields.birthYear) } : {}),
      ...(fields.salaryMinVnd ? { salaryMinVnd: intField(fields.salaryMinVnd) } : {}),
      ...(fields.maxCostVnd ? { maxCostVnd: intField(fields.maxCostVnd) } : {}),
    };
    const saved = await submitForm(page.lang, CreateJobAlertDto, plain, (dto) =>
      this.alerts.create(proof.phoneHash, dto, 'web'),
    );
    if (!saved.failure) return reply.redirect(page.href(ALERTS), 303);
    if (!plain.consent) saved.failure.fields.consent = [page.t('alertsConsentRequired')];
    const data = await this.managePage(page, request, reply, proof, fields, saved.failure);
    return reply.status(saved.failure.status ?? 400).view('alerts', data);
  }

  @Post('thong-bao-viec-lam/:id/tat')
  async end(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const page = this.page(request, reply);
    const proof = this.proofOf(request);
    if (!proof)
      return reply.status(401).view('alerts', this.provePage(page, request, reply, {}, { fields: {} }));
    await this.alerts.end(proof.phoneHash, id, 'web');
    return reply.redirect(page.href(ALERTS), 303);
  }

  @Post('thong-bao-viec-lam/thoat')
  forget(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const page = this.page(request, reply);
    void reply.header('set-cookie', this.session.cookie(APPLICANT_COOKIE, '', 0));
    return reply.redirect(page.href(ALERTS), 303);
  }

  /**
   * The page a text's stop link opens. Opening it changes nothing (link previews and scanners open links);
   * its one button does, with no sign-in.
   */
  @Get('tb/:token')
  async stopPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('token') token: string) {
    const page = this.page(request, reply);
    if (!(await this.alerts.isStopToken(token))) throw ProblemException.notFound();
    return reply.view('alert-stop', {
      title: page.t('alertsStopTitle'),
      noindex: true,
      token,
      csrf: this.session.csrfToken(request, reply),
    });
  }

  @Post('tb/:token')
  @HttpCode(200)
  async stop(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('token') token: string) {
    const page = this.page(request, reply);
    await this.alerts.stopByToken(token);
    return reply.view('alert-stop', { title: page.t('alertsStopTitle'), noindex: true, stopped: true });
  }

  /** The short link of an order in a text: `/d/` and the order id's 16 bytes in base64url. */
  @Get('d/:code')
  shortLink(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('code') code: string) {
    const page = this.pages.context(request, reply);
    const id = orderIdFromShortCode(code);
    if (!id) throw ProblemException.notFound();
    return reply.redirect(page.href(`/don-hang/${id}`), 301);
  }

  /** Every alert page holds personal data: never stored by a cache, never indexed. */
  private page(request: FastifyRequest, reply: FastifyReply): PageContext {
    void reply.header('cache-control', 'no-store');
    return this.pages.context(request, reply);
  }

  private proofOf(request: FastifyRequest): Proof | undefined {
    const sealed = readCookies(request.headers.cookie)[APPLICANT_COOKIE];
    if (!sealed) return undefined;
    try {
      const { t, p } = JSON.parse(this.cipher.decrypt(sealed)) as { t?: unknown; p?: unknown };
      const applicant = typeof t === 'string' ? this.tokens.verify(t) : undefined;
      if (!applicant || typeof p !== 'string' || this.cipher.lookupHash(p) !== applicant.phoneHash) {
        return undefined;
      }
      return { phoneHash: applicant.phoneHash, phone: p };
    } catch {
      // Not sealed by this server, or sealed under another key: no proof.
      return undefined;
    }
  }

  private problem(page: PageContext, code: 'PHONE_NOT_PROVEN', status: number): FormErrors {
    return formErrorsOf(new ProblemException(status, code), page.lang);
  }

  private provePage(
    page: PageContext,
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FormErrors,
  ) {
    return {
      title: page.t('alertsTitle'),
      noindex: true,
      step: 'phone',
      values,
      errors,
      csrf: this.session.csrfToken(request, reply),
    };
  }

  private async managePage(
    page: PageContext,
    request: FastifyRequest,
    reply: FastifyReply,
    proof: Proof,
    values: Record<string, string>,
    errors: FormErrors,
  ) {
    const [alerts, countries, industries, programs] = await Promise.all([
      this.alerts.list(proof.phoneHash),
      this.reference.countries(),
      this.reference.industries(),
      this.reference.programs(),
    ]);
    return {
      title: page.t('alertsTitle'),
      noindex: true,
      step: 'manage',
      phone: maskPhone(proof.phone),
      alerts: alerts.items,
      full: alerts.items.length >= MAX_ACTIVE_ALERTS,
      max: MAX_ACTIVE_ALERTS,
      countries,
      industries,
      programs,
      consentVersion: ALERT_CONSENT_VERSION,
      values,
      errors,
      csrf: this.session.csrfToken(request, reply),
    };
  }
}
