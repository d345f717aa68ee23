import { AgenciesService, LICENSE_STATUSES, RegulatorAgencyQueryDto } from '@app/agencies';
import { FLAG_SOURCES, FlagQueryDto, FlagsService, ResolveFlagDto } from '@app/compliance';
import { ChainVerification, ProblemException } from '@app/core';
import {
  JobOrderOversightService,
  RegistrationDecisionDto,
  RegulatorJobOrderQueryDto,
  TakedownDto,
} from '@app/job-orders';
import {
  AuditLogQueryDto,
  CreateSuspensionDto,
  LicenseDecisionDto,
  RegulationService,
  SuspensionQueryDto,
} from '@app/regulation';
import { ReferenceService } from '@app/reference';
import { Body, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import {
  FormErrors,
  formErrorsOf,
  formFields,
  intField,
  listField,
  listQuery,
  submitForm,
  validateDto,
} from '../forms';
import { WebSession } from '../session';
import { FormPost, PagesController, WebPages } from '../web-pages';
import { ConsoleContext, consoleRequest } from './console';

/** The regulator console: licences, registrations, flags, takedowns, suspensions and the audit log. */
@PagesController('regulator', 'regulator')
export class RegulatorPagesController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly regulation: RegulationService,
    private readonly oversight: JobOrderOversightService,
    private readonly flags: FlagsService,
    private readonly reference: ReferenceService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @Get()
  async dashboard(@Res() reply: FastifyReply) {
    const { page, frame } = await this.frame(reply);
    const [pending, submitted, flags] = await Promise.all([
      this.agencies.search(
        Object.assign(new RegulatorAgencyQueryDto(), { licenseStatus: 'pending_verification', limit: 100 }),
      ),
      this.oversight.list(
        Object.assign(new RegulatorJobOrderQueryDto(), { registrationStatus: 'submitted', limit: 100 }),
      ),
      this.flags.list(Object.assign(new FlagQueryDto(), { limit: 100 })),
    ]);
    return reply.view('regulator-dashboard', {
      title: page.t('rDashboard'),
      console: frame,
      counts: { pending: pending.items.length, submitted: submitted.items.length, flags: flags.items.length },
      flags: flags.items.slice(0, 5),
    });
  }

  @Get('doanh-nghiep')
  async agencyList(@Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.agenciesPage(await this.frame(reply), reply, formFields(raw));
  }

  @FormPost('doanh-nghiep/:id')
  async decideLicense(@Res() reply: FastifyReply, @Param('id') id: string, @Body() body: unknown) {
    const context = await this.frame(reply);
    const { status, reason = '', back } = formFields(body);
    const sent = await submitForm(context.page.lang, LicenseDecisionDto, { status, reason }, (dto) =>
      this.regulation.decideLicense(context.user, id, dto),
    );
    if (sent.failure) return this.agenciesPage(context, reply, { licenseStatus: back ?? '' }, sent.failure);
    return reply.redirect(context.page.href('/regulator/doanh-nghiep', { licenseStatus: back }), 303);
  }

  @Get('dang-ky')
  async registrations(@Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.ordersPage(await this.frame(reply), reply, 'registrations', formFields(raw));
  }

  @FormPost('dang-ky/:id')
  async decideRegistration(@Res() reply: FastifyReply, @Param('id') id: string, @Body() body: unknown) {
    const context = await this.frame(reply);
    const fields = formFields(body);
    const plain = {
      decision: fields.decision,
      ...(fields.referenceNumber ? { referenceNumber: fields.referenceNumber } : {}),
      ...(fields.approvedHeadcount ? { approvedHeadcount: intField(fields.approvedHeadcount) } : {}),
      ...(fields.approvedOn ? { approvedOn: fields.approvedOn } : {}),
      ...(fields.reason ? { reason: fields.reason } : {}),
    };
    const sent = await submitForm(context.page.lang, RegistrationDecisionDto, plain, (dto) =>
      this.oversight.decideRegistration(context.user, id, dto),
    );
    if (sent.failure) return this.ordersPage(context, reply, 'registrations', {}, sent.failure);
    return reply.redirect(context.page.href('/regulator/dang-ky'), 303);
  }

  @Get('go-tin')
  async takedowns(@Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.ordersPage(await this.frame(reply), reply, 'takedowns', formFields(raw));
  }

  @FormPost('go-tin/:id')
  async takedown(@Res() reply: FastifyReply, @Param('id') id: string, @Body() body: unknown) {
    const context = await this.frame(reply);
    const { reason = '' } = formFields(body);
    const sent = await submitForm(context.page.lang, TakedownDto, { reason }, (dto) =>
      this.oversight.takedown(context.user, id, dto.reason),
    );
    if (sent.failure) return this.ordersPage(context, reply, 'takedowns', {}, sent.failure);
    return reply.redirect(context.page.href('/regulator/go-tin'), 303);
  }

  @Get('canh-bao')
  async flagQueue(@Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.flagsPage(await this.frame(reply), reply, formFields(raw));
  }

  @FormPost('canh-bao/:id')
  async resolveFlag(@Res() reply: FastifyReply, @Param('id') id: string, @Body() body: unknown) {
    const context = await this.frame(reply);
    const { decision, note = '' } = formFields(body);
    const sent = await submitForm(context.page.lang, ResolveFlagDto, { decision, note }, (dto) =>
      this.flags.resolve(context.user, id, dto),
    );
    if (sent.failure) return this.flagsPage(context, reply, {}, sent.failure);
    return reply.redirect(context.page.href('/regulator/canh-bao'), 303);
  }

  @Get('tam-dung')
  async suspensions(@Res() reply: FastifyReply) {
    return this.suspensionsPage(await this.frame(reply), reply);
  }

  @FormPost('tam-dung')
  async suspend(@Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(reply);
    const fields = formFields(body);
    const plain = {
      ...(fields.program ? { program: fields.program } : {}),
      ...(fields.country ? { country: fields.country } : {}),
      provinces: listField(body, 'provinces'),
      from: fields.from ?? '',
      to: fields.to ?? '',
      reason: fields.reason ?? '',
    };
    const sent = await submitForm(context.page.lang, CreateSuspensionDto, plain, (dto) =>
      this.regulation.createSuspension(context.user, dto),
    );
    if (sent.failure) return this.suspensionsPage(context, reply, fields, sent.failure);
    return reply.redirect(context.page.href('/regulator/tam-dung'), 303);
  }

  @FormPost('tam-dung/:id/do-bo')
  async lift(@Res() reply: FastifyReply, @Param('id') id: string) {
    const context = await this.frame(reply);
    try {
      await this.regulation.liftSuspension(context.user, id);
    } catch (error) {
      return this.suspensionsPage(context, reply, {}, formErrorsOf(error, context.page.lang));
    }
    return reply.redirect(context.page.href('/regulator/tam-dung'), 303);
  }

  @Get('nhat-ky')
  async auditLog(@Res() reply: FastifyReply, @Query() raw: unknown) {
    const { page, frame } = await this.frame(reply);
    const fields = formFields(raw);
    const { dto, errors } = validateDto(AuditLogQueryDto, {
      ...(fields.entity ? { entity: fields.entity } : {}),
      ...(fields.actor ? { actor: fields.actor } : {}),
      ...(fields.cursor ? { cursor: fields.cursor } : {}),
      limit: 50,
    });
    let entries;
    try {
      entries = await this.regulation.auditLog(
        errors.length ? Object.assign(new AuditLogQueryDto(), { limit: 50 }) : dto,
      );
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() !== 400) throw error;
      entries = await this.regulation.auditLog(Object.assign(new AuditLogQueryDto(), { limit: 50 }));
    }
    const verification: ChainVerification | undefined = fields.verify
      ? await this.regulation.verifyAuditLog()
      : undefined;
    return reply.view('regulator-audit', {
      title: page.t('rAudit'),
      console: frame,
      entries: entries.items,
      filters: { entity: fields.entity, actor: fields.actor },
      verification,
      nextHref: entries.nextCursor
        ? page.href('/regulator/nhat-ky', {
            entity: fields.entity,
            actor: fields.actor,
            cursor: entries.nextCursor,
          })
        : null,
    });
  }

  private frame(reply: FastifyReply) {
    return consoleRequest(this.pages, this.session, reply.request, reply);
  }

  private async agenciesPage(
    { page, frame }: ConsoleContext,
    reply: FastifyReply,
    filters: Record<string, string>,
    errors: FormErrors = { fields: {} },
  ) {
    const result = await this.agencies.search(
      listQuery(RegulatorAgencyQueryDto, filters, ['licenseStatus', 'q', 'cursor']),
    );
    return reply.status(errors.status ?? 200).view('regulator-agencies', {
      title: page.t('rAgencies'),
      console: frame,
      items: result.items,
      filters,
      statuses: LICENSE_STATUSES,
      errors,
      nextHref: result.nextCursor
        ? page.href('/regulator/doanh-nghiep', { ...filters, cursor: result.nextCursor })
        : null,
    });
  }

  private async ordersPage(
    { page, frame }: ConsoleContext,
    reply: FastifyReply,
    kind: 'registrations' | 'takedowns',
    filters: Record<string, string>,
    errors: FormErrors = { fields: {} },
  ) {
    const query = Object.assign(new RegulatorJobOrderQueryDto(), {
      limit: 50,
      ...(kind === 'registrations'
        ? { registrationStatus: 'submitted' as const }
        : { publicationStatus: 'published' as const }),
      ...(filters.cursor && /^[A-Za-z0-9_-]{1,300}$/.test(filters.cursor) ? { cursor: filters.cursor } : {}),
    });
    const result = await this.oversight.list(query);
    const path = kind === 'registrations' ? '/regulator/dang-ky' : '/regulator/go-tin';
    return reply.status(errors.status ?? 200).view('regulator-orders', {
      title: kind === 'registrations' ? page.t('rRegistrations') : page.t('rTakedowns'),
      console: frame,
      kind,
      items: result.items,
      errors,
      nextHref: result.nextCursor ? page.href(path, { cursor: result.nextCursor }) : null,
    });
  }

  private async flagsPage(
    { page, frame }: ConsoleContext,
    reply: FastifyReply,
    filters: Record<string, string>,
    errors: FormErrors = { fields: {} },
  ) {
    const query = listQuery(FlagQueryDto, filters, ['status', 'source', 'cursor']);
    const result = await this.flags.list(query);
    return reply.status(errors.status ?? 200).view('regulator-flags', {
      title: page.t('rFlags'),
      console: frame,
      items: result.items,
      status: query.status ?? 'open',
      source: query.source ?? '',
      sources: FLAG_SOURCES,
      errors,
      nextHref: result.nextCursor
        ? page.href('/regulator/canh-bao', { ...filters, cursor: result.nextCursor })
        : null,
    });
  }

  private async suspensionsPage(
    { page, frame }: ConsoleContext,
    reply: FastifyReply,
    values: Record<string, string> = {},
    errors: FormErrors = { fields: {} },
  ) {
    const [result, programs, countries] = await Promise.all([
      this.regulation.listSuspensions(Object.assign(new SuspensionQueryDto(), { limit: 100 })),
      this.reference.programs(),
      this.reference.countries(),
    ]);
    return reply.status(errors.status ?? 200).view('regulator-suspensions', {
      title: page.t('rSuspensions'),
      console: frame,
      items: result.items,
      programs,
      countries,
      values,
      errors,
    });
  }
}
