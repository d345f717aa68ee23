import { LegalCapsDto, LegalCapsQueryDto, LegalCapsService } from '@app/compliance';
import { ReferenceService } from '@app/reference';
import { Controller, Get, Header, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import {
  decimalField,
  FormErrors,
  fieldErrors,
  formErrorsOf,
  formFields,
  intField,
  validateDto,
} from '../forms';
import { WebGuard } from '../session';
import { WebExceptionFilter, WebPages } from '../web-pages';

const FIELDS = ['country', 'program', 'industry', 'contractMonths', 'salaryAmount', 'salaryCurrency'];

/** The legal caps for any case: a GET form (nothing personal in it), so an answer can be shared as a link. */
@ApiExcludeController()
@Controller('muc-tran')
@UseGuards(WebGuard)
@UseFilters(WebExceptionFilter)
export class CapsPagesController {
  constructor(
    private readonly caps: LegalCapsService,
    private readonly reference: ReferenceService,
    private readonly pages: WebPages,
  ) {}

  @Get()
  @Header('vary', 'Accept-Language')
  async calculator(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const page = this.pages.context(request, reply);
    const values = formFields(raw);
    let errors: FormErrors = { fields: {} };
    let result: LegalCapsDto | undefined;
    if (FIELDS.some((field) => values[field] !== undefined)) {
      const { dto, errors: invalid } = validateDto(LegalCapsQueryDto, {
        country: values.country ?? '',
        program: values.program ?? '',
        ...(values.industry ? { industry: values.industry } : {}),
        contractMonths: intField(values.contractMonths) ?? NaN,
        salaryAmount: decimalField(values.salaryAmount) ?? NaN,
        salaryCurrency: values.salaryCurrency ?? '',
      });
      if (invalid.length) {
        errors = { fields: fieldErrors(invalid, page.lang), form: page.t('formErrors'), status: 400 };
      } else {
        try {
          result = await this.caps.caps(dto, page.lang);
        } catch (error) {
          errors = formErrorsOf(error, page.lang);
        }
      }
    }
    const [countries, programs, industries, rates] = await Promise.all([
      this.reference.countries(),
      this.reference.programs(),
      this.reference.industries(),
      this.reference.exchangeRates(),
    ]);
    return reply.status(errors.status ?? 200).view('caps', {
      title: page.t('capsTitle'),
      description: page.t('capsIntro'),
      canonical: page.canonical('/muc-tran'),
      countries,
      programs,
      industries,
      currencies: [...rates.keys()].sort(),
      values,
      errors,
      result,
    });
  }
}
