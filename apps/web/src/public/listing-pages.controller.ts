import { ProblemException } from '@app/core';
import { JobOrderQueryDto, JobOrdersService } from '@app/job-orders';
import { ReferenceService } from '@app/reference';
import { Controller, Get, Header, Query, Render, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { formFields, intField, validateDto } from '../forms';
import { WebGuard } from '../session';
import { WebExceptionFilter, WebPages } from '../web-pages';

const NUMERIC = ['birthYear', 'salaryMinVnd', 'maxCostVnd', 'limit'];

/** The listing's query as `GET /api/v1/job-orders` takes it; invalid filters are dropped and named. */
export function listingQuery(raw: unknown): {
  query: JobOrderQueryDto;
  fields: Record<string, string>;
  invalid: string[];
} {
  const fields = formFields(raw);
  const plain: Record<string, unknown> = { ...fields };
  for (const name of NUMERIC) if (name in plain) plain[name] = intField(fields[name]);
  let { dto, errors } = validateDto(JobOrderQueryDto, plain);
  const invalid = [...new Set(errors.map((error) => error.field.split('.')[0]))];
  if (invalid.length) {
    for (const name of invalid) {
      delete plain[name];
      delete fields[name];
    }
    ({ dto, errors } = validateDto(JobOrderQueryDto, plain));
  }
  return { query: dto, fields, invalid };
}

@Controller()
@UseGuards(WebGuard)
@UseFilters(WebExceptionFilter)
export class ListingPagesController {
  constructor(
    private readonly jobOrders: JobOrdersService,
    private readonly reference: ReferenceService,
    private readonly pages: WebPages,
  ) {}

  @Get()
  @Render('listing')
  @Header('vary', 'Accept-Language')
  async listing(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() raw: unknown,
  ) {
    const page = this.pages.context(request, reply);
    const { query, fields, invalid } = listingQuery(raw);
    let result;
    try {
      result = await this.jobOrders.searchPublic(query);
    } catch (error) {
      if (!(error instanceof ProblemException && error.code === 'INVALID_CURSOR')) throw error;
      delete fields.cursor;
      result = await this.jobOrders.searchPublic({ ...query, cursor: undefined });
    }
    const [countries, industries, programs] = await Promise.all([
      this.reference.countries(),
      this.reference.industries(),
      this.reference.programs(),
    ]);
    const { cursor: _cursor, ...filters } = fields;
    return {
      title: page.t('listingTitle'),
      canonical: page.canonical('/'),
      description: page.t('tagline'),
      filters,
      invalid,
      items: result.items,
      nextHref: result.nextCursor ? page.href('/', { ...filters, cursor: result.nextCursor }) : null,
      countries,
      industries,
      programs,
      showMore: Boolean(
        filters.industry || filters.program || filters.salaryMinVnd || filters.maxCostVnd || filters.sort,
      ),
    };
  }
}
