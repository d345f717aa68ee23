import { AuthService, CreateUserDto, ROLES, UpdateUserDto, UserQueryDto } from '@app/accounts';
import { ReferenceService } from '@app/reference';
import { Body, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { decimalField, FormErrors, formErrorsOf, formFields, listQuery, submitForm } from '../forms';
import { WebSession } from '../session';
import { FormPost, PagesController, WebPages } from '../web-pages';
import { ConsoleContext, consoleRequest } from './console';

/** The operator's console: users and roles, exchange rates. */
@PagesController('admin', 'admin')
export class AdminPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly reference: ReferenceService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @Get('nguoi-dung')
  async users(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    return this.usersPage(await this.frame(request, reply), reply, formFields(raw), {}, { fields: {} });
  }

  @FormPost('nguoi-dung')
  async createUser(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const plain = {
      email: fields.email ?? '',
      password: fields.password ?? '',
      role: fields.role,
      ...(fields.agencyId ? { agencyId: fields.agencyId } : {}),
    };
    const sent = await submitForm(context.page.lang, CreateUserDto, plain, (dto) =>
      this.auth.createUser(context.user, dto),
    );
    if (!sent.failure) return reply.redirect(context.page.href('/admin/nguoi-dung'), 303);
    const values = { email: fields.email, role: fields.role, agencyId: fields.agencyId };
    return this.usersPage(context, reply, {}, values, sent.failure);
  }

  @FormPost('nguoi-dung/:id')
  async updateUser(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const plain = {
      ...(fields.role ? { role: fields.role } : {}),
      ...(fields.disabled ? { disabled: fields.disabled === 'true' } : {}),
    };
    const sent = await submitForm(context.page.lang, UpdateUserDto, plain, (dto) =>
      this.auth.updateUser(context.user, id, dto),
    );
    if (!sent.failure) return reply.redirect(context.page.href('/admin/nguoi-dung'), 303);
    return this.usersPage(context, reply, {}, {}, sent.failure);
  }

  @Get('ty-gia')
  async rates(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.ratesPage(await this.frame(request, reply), reply, { fields: {} });
  }

  @FormPost('ty-gia')
  async setRates(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const rates: Record<string, number> = {};
    for (const [key, value] of Object.entries(fields)) {
      const currency = /^rate\.([A-Z]{3})$/.exec(key)?.[1];
      if (currency) rates[currency] = decimalField(value) ?? NaN;
    }
    const currency = fields.newCurrency?.toUpperCase();
    if (currency && fields.newRate) rates[currency] = decimalField(fields.newRate) ?? NaN;
    try {
      await this.reference.setExchangeRates(context.user, rates);
      return reply.redirect(context.page.href('/admin/ty-gia'), 303);
    } catch (error) {
      return this.ratesPage(context, reply, formErrorsOf(error, context.page.lang));
    }
  }

  private frame(request: FastifyRequest, reply: FastifyReply) {
    return consoleRequest(this.pages, this.session, request, reply);
  }

  private async usersPage(
    { page, user, frame }: ConsoleContext,
    reply: FastifyReply,
    filters: Record<string, string>,
    values: Record<string, string | undefined>,
    errors: FormErrors,
  ) {
    const result = await this.auth.listUsers(
      listQuery(UserQueryDto, filters, ['role', 'agencyId', 'cursor']),
    );
    return reply.status(errors.status ?? 200).view('admin-users', {
      title: page.t('adUsers'),
      console: frame,
      users: result.items,
      me: user.id,
      roles: ROLES,
      filters,
      values,
      errors,
      nextHref: result.nextCursor
        ? page.href('/admin/nguoi-dung', { ...filters, cursor: result.nextCursor })
        : null,
    });
  }

  private async ratesPage({ page, frame }: ConsoleContext, reply: FastifyReply, errors: FormErrors) {
    const rates = [...(await this.reference.exchangeRates())].filter(([currency]) => currency !== 'VND');
    return reply
      .status(errors.status ?? 200)
      .view('admin-rates', { title: page.t('adRates'), console: frame, rates, errors });
  }
}
