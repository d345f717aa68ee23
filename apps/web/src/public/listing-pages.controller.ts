import { AGENCY_LICENSE_CHANGED } from '@app/agencies';
import { CachedRead, Caches, ProblemException } from '@app/core';
import { JobOrderQueryDto, JobOrdersService, LISTINGS_CHANGED } from '@app/job-orders';
import { ReferenceService } from '@app/reference';
import { Get, Header, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { formFields, intField, validateDto } from '../forms';
import { PageContext } from '../page-context';
import { PagesController, WebPages } from '../web-pages';

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

@PagesController()
export class ListingPagesController {
  /**
   * The rendered page per language and query, for at most a second, and ended like the listing's own cache
   * by a publication or a licence decision: the page holds nothing of the visitor (no cookie, no token).
   */
  private readonly rendered: CachedRead<string>;

  constructor(
    private readonly jobOrders: JobOrdersService,
    private readonly reference: ReferenceService,
    private readonly pages: WebPages,
    caches: Caches,
  ) {
    this.rendered = caches.define({
      name: 'web-listing-pages',
      maxAgeMs: 1000,
      maxEntries: 1000,
      endedBy: [LISTINGS_CHANGED, AGENCY_LICENSE_CHANGED],
    });
  }

  @Get()
  @Header('vary', 'Accept-Language')
  async listing(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const page = this.pages.context(request, reply);
    const { query, fields, invalid } = listingQuery(raw);
    const key = JSON.stringify([page.lang, page.origin, request.url]);
    const html = await this.rendered.get(key, async () =>
      reply.viewAsync('listing', await this.listingData(page, query, fields, invalid)),
    );
    return reply.type('text/html; charset=utf-8').send(html);
  }

  private async listingData(
    page: PageContext,
    query: JobOrderQueryDto,
    fields: Record<string, string>,
    invalid: string[],
  ) {
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
      showMore:
        ['country', 'gender', 'birthYear', 'industry', 'program', 'salaryMinVnd', 'maxCostVnd'].some(
          (name) => name in filters,
        ) ||
        (filters.sort !== undefined && filters.sort !== 'newest'),
    };
  }
}
