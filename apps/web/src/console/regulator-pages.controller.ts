import { AgenciesService, LICENSE_STATUSES, RegulatorAgencyQueryDto } from '@app/agencies';
import { FlagQueryDto, FlagsService, ResolveFlagDto } from '@app/compliance';
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
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import {
  FormErrors,
  fieldErrors,
  formErrorsOf,
  formFields,
  intField,
  listField,
  listQuery,
  validateDto,
} from '../forms';
import { ConsoleRoles, WebGuard, WebSession } from '../session';
import { WebExceptionFilter, WebPages } from '../web-pages';
import { consoleRequest } from './console';

type Frame = Awaited<ReturnType<RegulatorPagesController['frame']>>;

/** The regulator console: licences, registrations, flags, takedowns, suspensions and the audit log. */
@ApiExcludeController()
@Controller('regulator')
@UseGuards(WebGuard)
@UseFilters(WebExceptionFilter)
@ConsoleRoles('regulator')
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
  async dashboard(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { page, frame } = await this.frame(request, reply);
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
  async agencyList(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.agenciesPage(await this.frame(request, reply), reply, formFields(raw), { fields: {} });
  }

  @Post('doanh-nghiep/:id')
  @HttpCode(200)
  async decideLicense(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(LicenseDecisionDto, {
      status: fields.status,
      reason: fields.reason ?? '',
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), form: context.page.t('formErrors'), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.regulation.decideLicense(context.user, id, dto);
        return reply.redirect(
          context.page.href('/regulator/doanh-nghiep', { licenseStatus: fields.back }),
          303,
        );
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.agenciesPage(context, reply, { licenseStatus: fields.back ?? '' }, failure);
  }

  @Get('dang-ky')
  async registrations(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.ordersPage(await this.frame(request, reply), reply, 'registrations', formFields(raw), {
      fields: {},
    });
  }

  @Post('dang-ky/:id')
  @HttpCode(200)
  async decideRegistration(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(RegistrationDecisionDto, {
      decision: fields.decision,
      ...(fields.referenceNumber ? { referenceNumber: fields.referenceNumber } : {}),
      ...(fields.approvedHeadcount ? { approvedHeadcount: intField(fields.approvedHeadcount) } : {}),
      ...(fields.approvedOn ? { approvedOn: fields.approvedOn } : {}),
      ...(fields.reason ? { reason: fields.reason } : {}),
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), form: context.page.t('formErrors'), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.oversight.decideRegistration(context.user, id, dto);
        return reply.redirect(context.page.href('/regulator/dang-ky'), 303);
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.ordersPage(context, reply, 'registrations', {}, failure);
  }

  @Get('go-tin')
  async takedowns(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.ordersPage(await this.frame(request, reply), reply, 'takedowns', formFields(raw), {
      fields: {},
    });
  }

  @Post('go-tin/:id')
  @HttpCode(200)
  async takedown(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const context = await this.frame(request, reply);
    const { dto, errors } = validateDto(TakedownDto, { reason: formFields(body).reason ?? '' });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), form: context.page.t('formErrors'), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.oversight.takedown(context.user, id, dto.reason);
        return reply.redirect(context.page.href('/regulator/go-tin'), 303);
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.ordersPage(context, reply, 'takedowns', {}, failure);
  }

  @Get('canh-bao')
  async flagQueue(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.flagsPage(await this.frame(request, reply), reply, formFields(raw), { fields: {} });
  }

  @Post('canh-bao/:id')
  @HttpCode(200)
  async resolveFlag(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(ResolveFlagDto, {
      decision: fields.decision,
      note: fields.note ?? '',
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), form: context.page.t('formErrors'), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.flags.resolve(context.user, id, dto);
        return reply.redirect(context.page.href('/regulator/canh-bao'), 303);
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.flagsPage(context, reply, {}, failure);
  }

  @Get('tam-dung')
  async suspensions(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.suspensionsPage(await this.frame(request, reply), reply, {}, { fields: {} });
  }

  @Post('tam-dung')
  @HttpCode(200)
  async suspend(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(CreateSuspensionDto, {
      ...(fields.program ? { program: fields.program } : {}),
      ...(fields.country ? { country: fields.country } : {}),
      provinces: listField(body, 'provinces'),
      from: fields.from ?? '',
      to: fields.to ?? '',
      reason: fields.reason ?? '',
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), form: context.page.t('formErrors'), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.regulation.createSuspension(context.user, dto);
        return reply.redirect(context.page.href('/regulator/tam-dung'), 303);
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.suspensionsPage(context, reply, fields, failure);
  }

  @Post('tam-dung/:id/do-bo')
  @HttpCode(200)
  async lift(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const context = await this.frame(request, reply);
    try {
      await this.regulation.liftSuspension(context.user, id);
    } catch (error) {
      return this.suspensionsPage(context, reply, {}, formErrorsOf(error, context.page.lang));
    }
    return reply.redirect(context.page.href('/regulator/tam-dung'), 303);
  }

  @Get('nhat-ky')
  async auditLog(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const { page, frame } = await this.frame(request, reply);
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

  private frame(request: FastifyRequest, reply: FastifyReply) {
    return consoleRequest(this.pages, this.session, request, reply);
  }

  private async agenciesPage(
    { page, frame }: Frame,
    reply: FastifyReply,
    filters: Record<string, string>,
    errors: FormErrors,
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
    { page, frame }: Frame,
    reply: FastifyReply,
    kind: 'registrations' | 'takedowns',
    filters: Record<string, string>,
    errors: FormErrors,
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
    { page, frame }: Frame,
    reply: FastifyReply,
    filters: Record<string, string>,
    errors: FormErrors,
  ) {
    const query = listQuery(FlagQueryDto, filters, ['status', 'source', 'cursor']);
    const result = await this.flags.list(query);
    return reply.status(errors.status ?? 200).view('regulator-flags', {
      title: page.t('rFlags'),
      console: frame,
      items: result.items,
      status: query.status ?? 'open',
      errors,
      nextHref: result.nextCursor
        ? page.href('/regulator/canh-bao', { ...filters, cursor: result.nextCursor })
        : null,
    });
  }

  private async suspensionsPage(
    { page, frame }: Frame,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FormErrors,
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
