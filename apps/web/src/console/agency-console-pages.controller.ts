import { AuthService, CreateUserDto, UserQueryDto } from '@app/accounts';
import {
  AgenciesService,
  AgencyDetailDto,
  CreateDepartureReportDto,
  DepartureReportQueryDto,
  DepartureReportsService,
  UpdateAgencyProfileDto,
} from '@app/agencies';
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
import { Body, ForbiddenException, Get, Param, Query, Redirect, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import {
  decimalField,
  FormErrors,
  formErrorsOf,
  formFields,
  intField,
  submitForm,
  validateDto,
} from '../forms';
import { ConsoleRoles, WebSession } from '../session';
import { FormPost, PagesController, WebPages } from '../web-pages';
import { ConsoleContext, consoleRequest, violationsByField } from './console';

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

/** The profile form's values: the agency's contact fields as saved, empty when unset. */
function profileValues(agency: AgencyDetailDto): Record<string, string> {
  return { address: agency.address ?? '', hotline: agency.hotline ?? '', website: agency.website ?? '' };
}

/**
 * The agency console: its orders, leads, webhook, profile, departure reports and staff, always of the user's
 * agency.
 */
@PagesController('agency', ['agency_admin', 'agency_staff'])
export class AgencyConsolePagesController {
  constructor(
    private readonly orders: AgencyJobOrdersService,
    private readonly leads: AgencyLeadsService,
    private readonly departures: DepartureReportsService,
    private readonly agencies: AgenciesService,
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

  @FormPost('don-hang/moi')
  async createOrder(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const sent = await submitForm(context.page.lang, CreateJobOrderDto, orderBody(fields), (dto) =>
      this.orders.create(context.user.agencyId!, context.user, dto),
    );
    if (sent.failure) return this.orderForm(reply, context, undefined, fields, sent.failure);
    return reply.redirect(context.page.href(`/agency/don-hang/${sent.result.id}`, { saved: 1 }), 303);
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

  @FormPost('don-hang/:id')
  async updateOrder(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const context = await this.frame(request, reply);
    const current = await this.orders.get(context.user.agencyId!, id);
    const fields = formFields(body);
    const sent = await submitForm(context.page.lang, UpdateJobOrderDto, orderBody(fields), (dto) =>
      this.orders.update(context.user.agencyId!, context.user, id, dto),
    );
    if (sent.failure) return this.orderForm(reply, context, current, fields, sent.failure);
    return reply.redirect(context.page.href(`/agency/don-hang/${id}`, { saved: 1 }), 303);
  }

  @FormPost('don-hang/:id/:action')
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

  @FormPost('khach-hang/:id')
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

  @FormPost('ket-noi')
  @ConsoleRoles('agency_admin')
  async setWebhook(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const { page, user, frame } = await this.frame(request, reply);
    const fields = formFields(body);
    const plain = { url: fields.url ?? '', secret: fields.secret ?? '' };
    const sent = await submitForm(
      page.lang,
      WebhookSettingsDto,
      plain,
      (dto) => this.leads.setWebhook(user, user.agencyId!, dto.url, dto.secret),
      { summary: false },
    );
    if (!sent.failure) return reply.redirect(page.href('/agency/ket-noi', { saved: 1 }), 303);
    return reply.status(sent.failure.status ?? 400).view('agency-webhook', {
      title: page.t('aWebhook'),
      console: frame,
      canEdit: true,
      values: { url: fields.url },
      errors: sent.failure,
    });
  }

  @Get('ho-so')
  async profile(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const context = await this.frame(request, reply);
    const agency = await this.agencies.findById(context.user.agencyId!);
    const notice = formFields(raw).saved ? context.page.t('saved') : undefined;
    return this.profilePage(reply, context, agency, profileValues(agency), { fields: {} }, notice);
  }

  @FormPost('ho-so')
  @ConsoleRoles('agency_admin')
  async updateProfile(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const { page, user } = context;
    const fields = formFields(body);
    const plain = {
      address: fields.address ?? '',
      hotline: fields.hotline ?? '',
      website: fields.website ?? '',
    };
    const sent = await submitForm(page.lang, UpdateAgencyProfileDto, plain, (dto) =>
      this.agencies.updateProfile(user, user.agencyId!, dto),
    );
    if (!sent.failure) return reply.redirect(page.href('/agency/ho-so', { saved: 1 }), 303);
    const agency = await this.agencies.findById(user.agencyId!);
    return this.profilePage(reply.status(sent.failure.status ?? 400), context, agency, plain, sent.failure);
  }

  @Get('xuat-canh')
  async departureReports(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const context = await this.frame(request, reply);
    const notice = formFields(raw).saved ? context.page.t('saved') : undefined;
    return this.departuresPage(reply, context, {}, { fields: {} }, notice);
  }

  @FormPost('xuat-canh')
  async report(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const { id, role, agencyId } = context.user;
    const fields = formFields(body);
    const plain = {
      month: fields.month ?? '',
      country: fields.country ?? '',
      total: intField(fields.total) ?? NaN,
      women: intField(fields.women) ?? 0,
    };
    const sent = await submitForm(
      context.page.lang,
      CreateDepartureReportDto,
      plain,
      (dto) => this.departures.report(agencyId!, { id, role }, dto),
      { summary: false },
    );
    if (sent.failure) return this.departuresPage(reply, context, fields, sent.failure);
    return reply.redirect(context.page.href('/agency/xuat-canh', { saved: 1 }), 303);
  }

  @Get('nhan-vien')
  @ConsoleRoles('agency_admin')
  async staff(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const context = await this.frame(request, reply);
    return this.staffPage(reply, context, {}, { fields: {} });
  }

  @FormPost('nhan-vien')
  @ConsoleRoles('agency_admin')
  async addStaff(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const plain = {
      email: fields.email ?? '',
      password: fields.password ?? '',
      role: 'agency_staff',
      agencyId: context.user.agencyId,
    };
    const sent = await submitForm(
      context.page.lang,
      CreateUserDto,
      plain,
      (dto) => this.auth.createUser(context.user, dto),
      { summary: false },
    );
    if (sent.failure) return this.staffPage(reply, context, { email: fields.email }, sent.failure);
    return reply.redirect(context.page.href('/agency/nhan-vien'), 303);
  }

  /** Disables or enables a staff account of the agency itself (never an account of another agency). */
  @FormPost('nhan-vien/:id')
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

  private profilePage(
    reply: FastifyReply,
    { page, user, frame }: ConsoleContext,
    agency: AgencyDetailDto,
    values: Record<string, string>,
    errors: FormErrors,
    notice?: string,
  ) {
    return reply.view('agency-profile', {
      title: page.t('aProfile'),
      console: frame,
      canEdit: user.role === 'agency_admin',
      agency,
      values,
      errors,
      notice,
    });
  }

  private async orderForm(
    reply: FastifyReply,
    { page, frame }: ConsoleContext,
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
    { page, user, frame }: ConsoleContext,
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
    { page, user, frame }: ConsoleContext,
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
