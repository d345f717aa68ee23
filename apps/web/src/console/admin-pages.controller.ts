import { AuthService, CreateUserDto, ROLES, UpdateUserDto, UserQueryDto } from '@app/accounts';
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
  decimalField,
  fieldErrors,
  FormErrors,
  formErrorsOf,
  formFields,
  listQuery,
  validateDto,
} from '../forms';
import { ConsoleRoles, WebGuard, WebSession } from '../session';
import { WebExceptionFilter, WebPages } from '../web-pages';
import { consoleRequest } from './console';

type Frame = Awaited<ReturnType<AdminPagesController['frame']>>;

/** The operator's console: users and roles, exchange rates. */
@ApiExcludeController()
@Controller('admin')
@UseGuards(WebGuard)
@UseFilters(WebExceptionFilter)
@ConsoleRoles('admin')
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

  @Post('nguoi-dung')
  @HttpCode(200)
  async createUser(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(CreateUserDto, {
      email: fields.email ?? '',
      password: fields.password ?? '',
      role: fields.role,
      ...(fields.agencyId ? { agencyId: fields.agencyId } : {}),
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), form: context.page.t('formErrors'), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.auth.createUser(context.user, dto);
        return reply.redirect(context.page.href('/admin/nguoi-dung'), 303);
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.usersPage(
      context,
      reply,
      {},
      { email: fields.email, role: fields.role, agencyId: fields.agencyId },
      failure,
    );
  }

  @Post('nguoi-dung/:id')
  @HttpCode(200)
  async updateUser(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const context = await this.frame(request, reply);
    const fields = formFields(body);
    const { dto, errors } = validateDto(UpdateUserDto, {
      ...(fields.role ? { role: fields.role } : {}),
      ...(fields.disabled ? { disabled: fields.disabled === 'true' } : {}),
    });
    let failure: FormErrors | undefined = errors.length
      ? { fields: fieldErrors(errors, context.page.lang), form: context.page.t('formErrors'), status: 400 }
      : undefined;
    if (!failure) {
      try {
        await this.auth.updateUser(context.user, id, dto);
        return reply.redirect(context.page.href('/admin/nguoi-dung'), 303);
      } catch (error) {
        failure = formErrorsOf(error, context.page.lang);
      }
    }
    return this.usersPage(context, reply, {}, {}, failure);
  }

  @Get('ty-gia')
  async rates(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.ratesPage(await this.frame(request, reply), reply, { fields: {} });
  }

  @Post('ty-gia')
  @HttpCode(200)
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
    { page, user, frame }: Frame,
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

  private async ratesPage({ page, frame }: Frame, reply: FastifyReply, errors: FormErrors) {
    const rates = [...(await this.reference.exchangeRates())].filter(([currency]) => currency !== 'VND');
    return reply
      .status(errors.status ?? 200)
      .view('admin-rates', { title: page.t('adRates'), console: frame, rates, errors });
  }
}
