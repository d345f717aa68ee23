import { AgenciesService, AgencyQueryDto, DepartureReportsService, MONTH } from '@app/agencies';
import { ProblemException } from '@app/core';
import { JobOrderQueryDto, JobOrdersService } from '@app/job-orders';
import { RANKING_FORMULA, RankingService } from '@app/ranking';
import { ReferenceService } from '@app/reference';
import { Param, Query } from '@nestjs/common';

import { formFields, validateDto } from '../forms';
import { PageContext } from '../page-context';
import { CurrentPage, PagesController, PublicPage } from '../web-pages';
import { departuresChart } from './chart';

const COMPONENTS = ['compliance', 'responsiveness', 'outcomes', 'reviews', 'activity'] as const;

/** Licence lookup, agency profiles, the ranking and the departure statistics. */
@PagesController()
export class AgencyPagesController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly departures: DepartureReportsService,
    private readonly ranking: RankingService,
    private readonly jobOrders: JobOrdersService,
    private readonly reference: ReferenceService,
  ) {}

  @PublicPage('doanh-nghiep', 'agencies')
  async lookup(@CurrentPage() page: PageContext, @Query() raw: unknown) {
    const fields = formFields(raw);
    const searched = Boolean(fields.q || fields.licenseNumber || fields.province);
    const { dto, errors } = validateDto(AgencyQueryDto, fields);
    let result = {
      items: [] as Awaited<ReturnType<AgenciesService['search']>>['items'],
      nextCursor: null as string | null,
    };
    let invalid = errors.length > 0;
    if (!invalid) {
      try {
        result = await this.agencies.search(dto, 'replica');
      } catch (error) {
        if (!(error instanceof ProblemException) || error.getStatus() !== 400) throw error;
        invalid = true;
      }
    }
    const { cursor: _cursor, ...filters } = fields;
    return {
      title: page.t('agenciesTitle'),
      canonical: page.canonical('/doanh-nghiep'),
      filters,
      searched,
      invalid,
      items: result.items,
      nextHref: result.nextCursor
        ? page.href('/doanh-nghiep', { ...filters, cursor: result.nextCursor })
        : null,
    };
  }

  @PublicPage('doanh-nghiep/:id', 'agency')
  async agency(@CurrentPage() page: PageContext, @Param('id') id: string) {
    const profile = await this.ranking.agencyProfile(id);
    const orders =
      profile.licenseStatus === 'active'
        ? (
            await this.jobOrders.searchPublic(
              Object.assign(new JobOrderQueryDto(), { agencyId: profile.id, limit: 20 }),
            )
          ).items
        : [];
    return {
      title: profile.name,
      canonical: page.canonical(`/doanh-nghiep/${profile.id}`),
      description: `${page.t('licenseNumber')} ${profile.licenseNumber}`,
      agency: profile,
      ranks: [profile.ranking.overall, ...profile.ranking.byCountry].filter(Boolean),
      components: COMPONENTS,
      orders,
    };
  }

  @PublicPage('xep-hang', 'ranking')
  async top(@CurrentPage() page: PageContext, @Query() raw: unknown) {
    const { country } = formFields(raw);
    const scope = country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : undefined;
    const ranking = await this.ranking.top(scope, 20);
    return {
      title: page.t('rankingTitle'),
      canonical: page.canonical('/xep-hang', { country: scope }),
      country: scope,
      countries: await this.reference.countries(),
      ranking,
      components: COMPONENTS,
      weights: RANKING_FORMULA.weights,
    };
  }

  @PublicPage('thong-ke', 'stats')
  async stats(@CurrentPage() page: PageContext, @Query() raw: unknown) {
    const months = await this.departures.reportedMonths();
    const asked = formFields(raw).month;
    const month = asked && MONTH.test(asked) ? asked : (months[0] ?? new Date().toISOString().slice(0, 7));
    const stats = await this.departures.monthlyStats(month);
    const rows = stats.byCountry.map((row) => ({ ...row, label: page.country(row.country) }));
    return {
      title: page.t('statsTitle'),
      canonical: page.canonical('/thong-ke', { month }),
      month,
      months,
      stats,
      rows,
      chart: rows.length
        ? departuresChart(
            rows,
            { title: page.t('chartTitle'), women: page.t('women'), men: page.t('men') },
            page.num,
          )
        : '',
    };
  }
}
