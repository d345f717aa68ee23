import { AuthService, AuthUser, CreateUserDto, UserQueryDto } from '@app/accounts';
import { CreateDepartureReportDto, DepartureReportQueryDto, DepartureReportsService } from '@app/agencies';
import {
  AgencyLeadQueryDto,
  AgencyLeadsService,
  CONSULTATION_OUTCOMES,
  CONSULTATION_STATUSES,
  UpdateLeadDto,
  WebhookSettingsDto,
} from '@app/consultations';
import { ProblemException } from '@app/core';
import {
  AgencyJobOrderDto,
  AgencyJobOrderQueryDto,
  AgencyJobOrdersService,
  CreateJobOrderDto,
  GENDER_REQUIREMENTS,
  PUBLICATION_STATUSES,
  REGISTRATION_STATUSES,
  UpdateJobOrderDto,
} from '@app/job-orders';
import { ReferenceService } from '@app/reference';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Redirect,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import {
  decimalField,
  fieldErrors,
  FormErrors,
  formErrorsOf,
  formFields,
  intField,
  validateDto,
} from '../forms';
import { PageContext } from '../page-context';
import { ConsoleRoles, WebGuard, WebSession } from '../session';
import { WebExceptionFilter, WebPages } from '../web-pages';
import { consoleFrame, consoleRequest, violationsByField } from './console';

const ORDER_INTS = ['openings', 'birthYearFrom', 'birthYearTo', 'contractMonths', 'expectedDepartureMonths'];
const COSTS = ['serviceFeeVnd', 'trainingVnd', 'depositVnd', 'airfareVnd', 'brokerageVnd', 'otherVnd'];
const TEXTS = [
  'title',
  'occupation',
  'description',
  'requirements',
  'country',
  'workLocation',
  'industry',
  'program',
  'gender',
];

/** The order form's fields as the API's body: `salary.amount` and `costs.*` nested, numbers parsed. */
export function orderBody(fields: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of TEXTS) if (fields[name] !== undefined) body[name] = fields[name];
  for (const name of ORDER_INTS) if (fields[name] !== undefined) body[name] = intField(fields[name]);
  body.salary = {
    amount: decimalField(fields['salary.amount']) ?? NaN,
    currency: fields['salary.currency'] ?? '',
  };
  body.costs = Object.fromEntries(COSTS.map((name) => [name, intField(fields[`costs.${name}`]) ?? 0]));
  return body;
}

/** The form's values of an order as the agency last saved it. */
function orderValues(order: AgencyJobOrderDto): Record<string, string> {
  return {
    title: order.title,
    occupation: order.occupation,
    description: order.description,
    requirements: order.requirements,
    country: order.country,
    workLocation: order.workLocation,
    industry: order.industry,
    program: order.program,
    gender: order.gender,
    openings: String(order.openings),
    birthYearFrom: String(order.birthYearFrom),
    birthYearTo: String(order.birthYearTo),
    contractMonths: String(order.contractMonths),
    expectedDepartureMonths:
      order.expectedDepartureMonths === null ? '' : String(order.expectedDepartureMonths),
    'salary.amount': String(order.salary.amount),
    'salary.currency': order.salary.currency,
    ...Object.fromEntries(
      COSTS.map((name) => [`costs.${name}`, String(order.costs[name as keyof typeof order.costs])]),
    ),
  };
}

/** The agency console: its orders, leads, webhook, departure reports and staff, always of the user's agency. */
@ApiExcludeController()
@Controller('agency')
@UseGuards(WebGuard)
@UseFilters(WebExceptionFilter)
@ConsoleRoles('agency_admin', 'agency_staff')
export class AgencyConsolePagesController {
  constructor(
    private readonly orders: AgencyJobOrdersService,
    private readonly leads: AgencyLeadsService,
    private readonly departures: DepartureReportsService,
    private readonly auth: AuthService,
    private readonly reference: ReferenceService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @Get()
  @Redirect('/agency/don-hang', 303)
  home(): void {}

  @Get('don-hang')
  async orderList(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const { page, user, frame } = await this.frame(request, reply);
    const fields = formFields(raw);
    const { dto, errors } = validateDto(AgencyJobOrderQueryDto, {
      ...fields,
      ...(fields.limit ? { limit: intField(fields.limit) } : {}),
    });
    const result = await this.orders.list(user.agencyId!, errors.length ? new AgencyJobOrderQueryDto() : dto);
    return reply.view('agency-orders', {
      title: page.t('aOrders'),
      console: frame,
      items: result.items,
      filters: fields,
      publicationStatuses: PUBLICATION_STATUSES,
      registrationStatuses: REGISTRATION_STATUSES,
      nextHref: result.nextCursor
        ? page.href('/agency/don-hang', { ...fields, cursor: result.nextCursor })
        : null,
    });
  }

  @Get('don-hang/moi')
  async newOrder(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const context = await this.frame(request, reply);
    return this.orderForm(
      reply,
      context,
      undefined,
      { 'salary.currency': 'JPY', gender: 'any' },
      { fields: {} },
    );
  }

  @Post('don-hang/moi')
  @HttpCode(200)
  async createOrder(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(CreateJobOrderDto, orderBody(fields));
    if (errors.length) {
      return this.orderForm(reply, context, undefined, fields, {
        fields: fieldErrors(errors, context.page.lang),
        form: context.page.t('formErrors'),
        status: 400,
      });
    }
    try {
      const order = await this.orders.create(context.user.agencyId!, context.user, dto);
      return reply.redirect(context.page.href(`/agency/don-hang/${order.id}`, { saved: 1 }), 303);
    } catch (error) {
      return this.orderForm(reply, context, undefined, fields, formErrorsOf(error, context.page.lang));
    }
  }

  @Get('don-hang/:id')
  async editOrder(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query() raw: unknown,
  ) {
    const context = await this.frame(request, reply);
    const order = await this.orders.get(context.user.agencyId!, id);
    const notice = formFields(raw).saved ? context.page.t('saved') : undefined;
    return this.orderForm(reply, context, order, orderValues(order), { fields: {} }, notice);
  }

  @Post('don-hang/:id')
  @HttpCode(200)
  async updateOrder(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const context = await this.frame(request, reply);
    const current = await this.orders.get(context.user.agencyId!, id);
    const fields = formFields(body);
    const { dto, errors } = validateDto(UpdateJobOrderDto, orderBody(fields));
    if (errors.length) {
      return this.orderForm(reply, context, current, fields, {
        fields: fieldErrors(errors, context.page.lang),
        form: context.page.t('formErrors'),
        status: 400,
      });
    }
    try {
      await this.orders.update(context.user.agencyId!, context.user, id, dto);
      return reply.redirect(context.page.href(`/agency/don-hang/${id}`, { saved: 1 }), 303);
    } catch (error) {
      return this.orderForm(reply, context, current, fields, formErrorsOf(error, context.page.lang));
    }
  }

  @Post('don-hang/:id/:action')
  @HttpCode(200)
  async orderAction(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('action') action: string,
  ) {
    const context = await this.frame(request, reply);
    const { user } = context;
    const run = { 'trinh-cuc': 'submit', 'dang-tin': 'publish', 'dung-tuyen': 'close' }[action] as
      | 'submit'
      | 'publish'
      | 'close'
      | undefined;
    if (!run) throw ProblemException.notFound();
    try {
      await this.orders[run](user.agencyId!, user, id);
      return reply.redirect(context.page.href(`/agency/don-hang/${id}`, { saved: 1 }), 303);
    } catch (error) {
      const current = await this.orders.get(user.agencyId!, id);
      return this.orderForm(
        reply,
        context,
        current,
        orderValues(current),
        formErrorsOf(error, context.page.lang),
      );
    }
  }

  @Get('khach-hang')
  async leadInbox(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const { page, user, frame } = await this.frame(request, reply);
    const fields = formFields(raw);
    const { dto, errors } = validateDto(AgencyLeadQueryDto, fields);
    // Listing the leads reveals their personal data: AgencyLeadsService audits each read.
    const result = await this.leads.listLeads(
      user,
      user.agencyId!,
      errors.length ? new AgencyLeadQueryDto() : dto,
    );
    const titles = new Map<string, string>();
    for (const lead of result.items) {
      if (!titles.has(lead.jobOrderId)) {
        titles.set(
          lead.jobOrderId,
          await this.orders.get(user.agencyId!, lead.jobOrderId).then(
            (o) => o.title,
            () => '',
          ),
        );
      }
    }
    return reply.header('cache-control', 'no-store').view('agency-leads', {
      title: page.t('aLeads'),
      noindex: true,
      console: frame,
      items: result.items.map((lead) => ({ ...lead, orderTitle: titles.get(lead.jobOrderId) ?? '' })),
      status: fields.status ?? '',
      statuses: CONSULTATION_STATUSES,
      outcomes: CONSULTATION_OUTCOMES,
      nextHref: result.nextCursor
        ? page.href('/agency/khach-hang', { status: fields.status, cursor: result.nextCursor })
        : null,
    });
  }

  @Post('khach-hang/:id')
  @HttpCode(200)
  async updateLead(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const { page, user } = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(UpdateLeadDto, {
      status: fields.status,
      ...(fields.outcome ? { outcome: fields.outcome } : {}),
    });
    if (errors.length) throw ProblemException.validation(errors);
    await this.leads.updateLead(user, user.agencyId!, id, dto);
    return reply.redirect(page.href('/agency/khach-hang', { status: fields.back }), 303);
  }

  @Get('ket-noi')
  async webhook(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const { page, user, frame } = await this.frame(request, reply);
    return reply.view('agency-webhook', {
      title: page.t('aWebhook'),
      console: frame,
      canEdit: user.role === 'agency_admin',
      values: {},
      errors: { fields: {} },
      notice: formFields(raw).saved ? page.t('saved') : undefined,
    });
  }

  @Post('ket-noi')
  @HttpCode(200)
  @ConsoleRoles('agency_admin')
  async setWebhook(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const { page, user, frame } = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(WebhookSettingsDto, {
      url: fields.url ?? '',
      secret: fields.secret ?? '',
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, page.lang), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.leads.setWebhook(user, user.agencyId!, dto.url, dto.secret);
        return reply.redirect(page.href('/agency/ket-noi', { saved: 1 }), 303);
      } catch (error) {
        failure = formErrorsOf(error, page.lang);
      }
    }
    return reply.status(failure.status ?? 400).view('agency-webhook', {
      title: page.t('aWebhook'),
      console: frame,
      canEdit: true,
      values: { url: fields.url },
      errors: failure,
    });
  }

  @Get('xuat-canh')
  async departureReports(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const context = await this.frame(request, reply);
    const notice = formFields(raw).saved ? context.page.t('saved') : undefined;
    return this.departuresPage(reply, context, {}, { fields: {} }, notice);
  }

  @Post('xuat-canh')
  @HttpCode(200)
  async report(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(CreateDepartureReportDto, {
      month: fields.month ?? '',
      country: fields.country ?? '',
      total: intField(fields.total) ?? NaN,
      women: intField(fields.women) ?? 0,
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.departures.report(
          context.user.agencyId!,
          { id: context.user.id, role: context.user.role },
          dto,
        );
        return reply.redirect(context.page.href('/agency/xuat-canh', { saved: 1 }), 303);
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.departuresPage(reply, context, fields, failure);
  }

  @Get('nhan-vien')
  @ConsoleRoles('agency_admin')
  async staff(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const context = await this.frame(request, reply);
    return this.staffPage(reply, context, {}, { fields: {} });
  }

  @Post('nhan-vien')
  @HttpCode(200)
  @ConsoleRoles('agency_admin')
  async addStaff(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(CreateUserDto, {
      email: fields.email ?? '',
      password: fields.password ?? '',
      role: 'agency_staff',
      agencyId: context.user.agencyId,
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.auth.createUser(context.user, dto);
        return reply.redirect(context.page.href('/agency/nhan-vien'), 303);
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.staffPage(reply, context, { email: fields.email }, failure);
  }

  /** Disables or enables a staff account of the agency itself (never an account of another agency). */
  @Post('nhan-vien/:id')
  @HttpCode(200)
  @ConsoleRoles('agency_admin')
  async setStaffDisabled(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const { page, user } = await this.frame(request, reply);
    const staff = await this.auth.listUsers(
      Object.assign(new UserQueryDto(), { agencyId: user.agencyId!, limit: 100 }),
    );
    const target = staff.items.find((item) => item.id === id);
    if (!target || target.role !== 'agency_staff') throw new ForbiddenException();
    await this.auth.updateUser(user, id, { disabled: formFields(body).disabled === 'true' });
    return reply.redirect(page.href('/agency/nhan-vien'), 303);
  }

  private frame(request: FastifyRequest, reply: FastifyReply) {
    return consoleRequest(this.pages, this.session, request, reply);
  }

  private async orderForm(
    reply: FastifyReply,
    { page, frame }: { page: PageContext; frame: ReturnType<typeof consoleFrame> },
    order: AgencyJobOrderDto | undefined,
    values: Record<string, string>,
    errors: FormErrors,
    notice?: string,
  ) {
    const [countries, industries, programs, rates] = await Promise.all([
      this.reference.countries(),
      this.reference.industries(),
      this.reference.programs(),
      this.reference.exchangeRates(),
    ]);
    const violations = order
      ? violationsByField(
          order.compliance.violations.map((v) => v.code),
          page.lang,
        )
      : {};
    return reply.status(errors.status ?? 200).view('agency-order', {
      title: order ? page.t('editOrder') : page.t('newOrder'),
      console: frame,
      order,
      values,
      errors,
      violations,
      notice,
      countries,
      industries,
      programs,
      currencies: [...rates.keys()].sort(),
      genders: GENDER_REQUIREMENTS,
      costs: COSTS,
    });
  }

  private async departuresPage(
    reply: FastifyReply,
    { page, user, frame }: { page: PageContext; user: AuthUser; frame: ReturnType<typeof consoleFrame> },
    values: Record<string, string>,
    errors: FormErrors,
    notice?: string,
  ) {
    const reports = await this.departures.list(
      user.agencyId!,
      Object.assign(new DepartureReportQueryDto(), { limit: 100 }),
    );
    return reply.status(errors.status ?? 200).view('agency-departures', {
      title: page.t('aDepartures'),
      console: frame,
      reports: reports.items,
      countries: await this.reference.countries(),
      values,
      errors,
      notice,
    });
  }

  private async staffPage(
    reply: FastifyReply,
    { page, user, frame }: { page: PageContext; user: AuthUser; frame: ReturnType<typeof consoleFrame> },
    values: Record<string, string | undefined>,
    errors: FormErrors,
  ) {
    const users = await this.auth.listUsers(
      Object.assign(new UserQueryDto(), { agencyId: user.agencyId!, limit: 100 }),
    );
    return reply.status(errors.status ?? 200).view('agency-staff', {
      title: page.t('aStaff'),
      console: frame,
      users: users.items,
      me: user.id,
      values,
      errors,
    });
  }
}
