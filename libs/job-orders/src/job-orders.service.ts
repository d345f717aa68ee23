import { AGENCY_LICENSE_CHANGED } from '@app/agencies';
import { assessOrder, ComplianceOrder, ExchangeRates } from '@app/compliance';
import {
  CachedRead,
  cacheEvent,
  Caches,
  canonicalJson,
  decodeCursor,
  encodeCursor,
  foldVietnamese,
  isUuid,
  keysetBatches,
  Page,
  ProblemException,
  Reader,
  ReplicaReads,
  Tx,
} from '@app/core';
import { CountryRegion, EXCHANGE_RATES_CHANGED, ReferenceService } from '@app/reference';
import { Inject, Injectable } from '@nestjs/common';

import { ComplianceDto, JobOrderDetailDto, JobOrderDto, JobOrderQueryDto } from './dto/job-order.dto';
import {
  JobOrderSearch,
  JobOrdersRepository,
  OpenJobOrderRow,
  OrderEligibilityRow,
  OrderForAlertsRow,
  PublicJobOrderDetailRow,
  PublicJobOrderRow,
} from './job-orders.repository';
import { JOB_ORDER_SETTINGS, JobOrderSettings } from './job-orders.settings';
import { ViewCountsService } from './view-counts.service';

const MAX_WORDS = 8;

/** Announced with every change to what the public listings show: publication, terms, registration, takedown. */
export const LISTINGS_CHANGED = cacheEvent('job-orders.listings');

/**
 * Announced in the transaction that publishes an order (the first time or again after closing). Whoever must
 * act on a new listing (job alerts) reacts in that transaction, so the reaction commits with the publication.
 */
export const JOB_ORDER_PUBLISHED = cacheEvent<{ orderId: string; publishedAt: string }>(
  'job-orders.published',
);

@Injectable()
export class JobOrdersService {
  private readonly listings: CachedRead<Page<JobOrderDto>>;
  /** Public reads, on a read replica once it has replayed the last change of what they show. */
  private readonly publicReads: Reader;

  constructor(
    private readonly repository: JobOrdersRepository,
    private readonly views: ViewCountsService,
    private readonly reference: ReferenceService,
    caches: Caches,
    @Inject(JOB_ORDER_SETTINGS.token) settings: JobOrderSettings,
    replicas: ReplicaReads,
  ) {
    this.publicReads = replicas.reader({ after: [LISTINGS_CHANGED, AGENCY_LICENSE_CHANGED] });
    // Pages are shared by every api process; a licence decision hides an agency's listings at once.
    this.listings = caches.define({
      name: 'listings',
      shared: true,
      maxAgeMs: settings.listingCacheTtlSeconds * 1000,
      endedBy: [LISTINGS_CHANGED, AGENCY_LICENSE_CHANGED],
    });
    // Estimates follow the rates in the transaction that sets them: no page shows two rates at once.
    caches.react(EXCHANGE_RATES_CHANGED, async (tx, { currencies }) => {
      await repository.repriceSalaries(tx, currencies);
      await caches.announce(LISTINGS_CHANGED, tx);
    });
  }

  searchPublic(query: JobOrderQueryDto): Promise<Page<JobOrderDto>> {
    return this.listings.get(canonicalJson({ ...query }), () => this.search(query));
  }

  private async search(query: JobOrderQueryDto): Promise<Page<JobOrderDto>> {
    const after = query.cursor ? decodeCursor(query.cursor, ['s', 's', 's']) : undefined;
    if (after && (after[0] !== query.sort || !isUuid(String(after[2])))) {
      throw new ProblemException(400, 'INVALID_CURSOR');
    }
    const [rows, rates, countries] = await Promise.all([
      this.repository.searchPublic(
        publicSearchFilter(query, after && { sortKey: String(after[1]), id: String(after[2]) }),
        this.publicReads,
      ),
      this.reference.exchangeRates(),
      this.reference.countries(),
    ]);
    const regions = new Map(countries.map((country) => [country.code, country.region]));
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => toJobOrderDto(row, isWithinCaps(row, regions.get(row.countryCode)!, rates))),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor([query.sort, last.sortKey, last.id]) : null,
    };
  }

  /**
   * Every order the public listing shows, oldest publication first, in batches of `size` read one query each
   * (see keysetBatches); inside `tx`, from its snapshot. Changes are announced as LISTINGS_CHANGED (repricing
   * included) and AGENCY_LICENSE_CHANGED.
   */
  openData(size: number, tx?: Tx): AsyncGenerator<OpenJobOrderRow[]> {
    return keysetBatches<OpenJobOrderRow>((after) => this.repository.openDataBatch(after, size, tx), size);
  }

  /** What the consultation intake and worker need to judge a request against the order; undefined if unknown. */
  findForEligibility(id: string): Promise<OrderEligibilityRow | undefined> {
    return isUuid(id) ? this.repository.findForEligibility(id) : Promise.resolve(undefined);
  }

  /** The order as saved searches are matched against it, if the public can see it now. */
  findPublicForAlerts(id: string): Promise<OrderForAlertsRow | undefined> {
    return isUuid(id) ? this.repository.findPublicForAlerts(id) : Promise.resolve(undefined);
  }

  /** Counts requests assigned to the order (one unless said), in the transaction that assigns them. */
  countConsultation(tx: Tx, id: string, by = 1): Promise<void> {
    return this.repository.countConsultation(tx, id, by);
  }

  /** One public order; each successful read counts a view. */
  async findPublicById(id: string): Promise<JobOrderDetailDto> {
    const row = isUuid(id) ? await this.repository.findPublicById(id, this.publicReads) : undefined;
    if (!row) throw ProblemException.notFound();
    this.views.record(row.id);
    return toJobOrderDetailDto(row);
  }
}

/** What the repository searches for a listing query: one row more than a page tells whether more exist. */
export function publicSearchFilter(query: JobOrderQueryDto, after?: JobOrderSearch['after']): JobOrderSearch {
  return {
    words: query.q ? searchWords(query.q) : [],
    country: query.country,
    industry: query.industry,
    program: query.program,
    gender: query.gender,
    birthYear: query.birthYear,
    salaryMinVnd: query.salaryMinVnd,
    maxCostVnd: query.maxCostVnd,
    agencyId: query.agencyId,
    sort: query.sort,
    after,
    limit: query.limit + 1,
  };
}

/**
 * Folded words of a query, longest first so the most selective trigram conditions lead. An order matches
 * when its folded search text contains every word (saved searches use the same words).
 */
export function searchWords(q: string): string[] {
  const words = foldVietnamese(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, MAX_WORDS);
}

/**
 * Whether a listed order's costs are within the legal caps. The order is handed over field by field: a spread
 * of the whole row per card cost a tenth of the listing's CPU.
 */
function isWithinCaps(row: PublicJobOrderRow, countryRegion: CountryRegion, rates: ExchangeRates): boolean {
  const order: ComplianceOrder = {
    countryCode: row.countryCode,
    countryRegion,
    programCode: row.programCode,
    industryCode: row.industryCode,
    contractMonths: row.contractMonths,
    salaryAmount: row.salaryAmount,
    salaryCurrency: row.salaryCurrency,
    serviceFeeVnd: row.serviceFeeVnd,
    brokerageFeeVnd: row.brokerageFeeVnd,
    depositVnd: row.depositVnd,
    openings: row.openings,
    approvedHeadcount: row.approvedHeadcount,
    registrationStatus: row.registrationStatus,
    birthYearFrom: row.birthYearFrom,
    birthYearTo: row.birthYearTo,
    agencyIsPublicSendingCentre: row.agencyIsPublicSendingCentre,
    texts: {},
  };
  return assessOrder(order, rates).withinCaps;
}

function toJobOrderDto(row: PublicJobOrderRow, withinCaps: boolean): JobOrderDto {
  return {
    id: row.id,
    title: row.title,
    country: row.countryCode,
    workLocation: row.workLocation,
    industry: row.industryCode,
    program: row.programCode,
    openings: row.openings,
    gender: row.gender,
    birthYearFrom: row.birthYearFrom,
    birthYearTo: row.birthYearTo,
    salary: { amount: Number(row.salaryAmount), currency: row.salaryCurrency },
    salaryVndEstimate: row.salaryVndEstimate,
    contractMonths: row.contractMonths,
    costs: {
      serviceFeeVnd: row.serviceFeeVnd,
      trainingVnd: row.trainingFeeVnd,
      depositVnd: row.depositVnd,
      airfareVnd: row.airfareVnd,
      brokerageVnd: row.brokerageFeeVnd,
      otherVnd: row.otherCostVnd,
    },
    totalCostVnd: row.totalCostVnd,
    registration: { status: row.registrationStatus, number: row.registrationNumber },
    agency: {
      id: row.agencyId,
      name: row.agencyName,
      licenseNumber: row.agencyLicenseNumber,
      licenseStatus: row.agencyLicenseStatus,
    },
    views: row.views,
    publishedAt: row.publishedAt.toISOString(),
    withinCaps,
  };
}

function toJobOrderDetailDto(row: PublicJobOrderDetailRow): JobOrderDetailDto {
  const compliance = complianceOf(row);
  return {
    ...toJobOrderDto(row, compliance.withinCaps),
    occupation: row.occupation,
    description: row.description,
    requirements: row.requirements,
    expectedDepartureMonths: row.expectedDepartureMonths,
    consultationCount: row.consultationCount,
    registration: {
      status: row.registrationStatus,
      number: row.registrationNumber,
      approvedOn: row.registrationApprovedOn,
      approvedHeadcount: row.approvedHeadcount,
      feeCollectionAllowed: row.registrationStatus === 'approved',
    },
    compliance,
  };
}

/** The order's legal caps and whether it keeps within them, at the configured exchange rates. */
function complianceOf(row: PublicJobOrderDetailRow): ComplianceDto {
  const rates = new Map<string, string>();
  if (row.salaryVndPerUnit !== null) rates.set(row.salaryCurrency, row.salaryVndPerUnit);
  if (row.usdVndPerUnit !== null) rates.set('USD', row.usdVndPerUnit);
  const { caps, withinCaps } = assessOrder({ ...row, texts: {} }, rates);
  return { serviceFeeCapVnd: caps.serviceFeeVnd, depositCapVnd: caps.depositVnd, withinCaps };
}
