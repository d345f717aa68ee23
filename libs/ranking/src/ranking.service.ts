import { AGENCY_LICENSE_CHANGED, AgenciesService } from '@app/agencies';
import { CachedRead, Caches, Reader, ReplicaReads } from '@app/core';
import { Injectable } from '@nestjs/common';

import {
  AgencyProfileDto,
  AgencyRankDto,
  RankingEntryDto,
  ReviewSummaryDto,
  SampleSizeDto,
  TopAgenciesDto,
} from './dto/ranking.dto';
import { RANKING_FORMULA } from './ranking.formula';
import { RankingRepository, RankingStateRow, ScoreRow } from './ranking.repository';
import { ReviewsRepository } from './reviews.repository';

/** How long a reader trusts the stored ranking's version before asking again. */
const VERSION_MAX_AGE_MS = 250;
/**
 * How long a page is served without asking PostgreSQL, even when the ranking has not changed: pages are read
 * with the agencies' licences, so an agency suspended behind the api's back leaves them within this, worker
 * or not (a licence decision through the api ends them at once).
 */
const PAGE_MAX_AGE_MS = 1000;
const MAX_CACHED_PAGES = 500;
const FOLD_BATCH = 5000;
const RECENT_REVIEWS = 5;

interface CachedPage {
  page: TopAgenciesDto;
  /** The page as UTF-8 JSON, encoded once per stored ranking rather than once per read. */
  body?: Buffer;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

@Injectable()
export class RankingService {
  private readonly state: CachedRead<RankingStateRow>;
  /** Keyed by the stored ranking's version, so a new ranking is a new set of pages. */
  private readonly pages: CachedRead<CachedPage>;
  /** The public's reads, on a read replica once it has replayed the last licence decision. */
  private readonly publicReads: Reader;

  constructor(
    private readonly repository: RankingRepository,
    private readonly reviews: ReviewsRepository,
    private readonly agencies: AgenciesService,
    caches: Caches,
    replicas: ReplicaReads,
  ) {
    this.publicReads = replicas.reader({ after: [AGENCY_LICENSE_CHANGED] });
    this.state = caches.define({ name: 'ranking-state', maxAgeMs: VERSION_MAX_AGE_MS });
    this.pages = caches.define({
      name: 'ranking-pages',
      maxAgeMs: PAGE_MAX_AGE_MS,
      maxEntries: MAX_CACHED_PAGES,
      endedBy: [AGENCY_LICENSE_CHANGED],
    });
  }

  /**
   * The stored ranking of one scope. Pages are kept in memory per version of the stored ranking, which is
   * checked at most every 250 ms: a new ranking shows within that, and a read costs no query in between.
   */
  async top(country: string | undefined, limit: number): Promise<TopAgenciesDto> {
    return (await this.topPage(country, limit)).page;
  }

  /** The same page serialised once per version: the hot path sends these bytes as they are. */
  async topJson(country: string | undefined, limit: number): Promise<Buffer> {
    const cached = await this.topPage(country, limit);
    cached.body ??= Buffer.from(JSON.stringify(cached.page));
    return cached.body;
  }

  private async topPage(country: string | undefined, limit: number): Promise<CachedPage> {
    const state = await this.state.get('current', () => this.repository.state(this.publicReads));
    return this.pages.get(`${state.version}:${country ?? ''}:${limit}`, async () => {
      const rows = await this.repository.findTop(country ?? '', limit, this.publicReads);
      return {
        page: {
          items: rows.map(toEntry),
          computedAt: (rows[0]?.computedAt ?? state.computedAt)?.toISOString() ?? null,
          formula: RANKING_FORMULA,
        },
      };
    });
  }

  /** The public agency page with its ranking breakdown and review summary. */
  async agencyProfile(agencyId: string): Promise<AgencyProfileDto> {
    const agency = await this.agencies.findById(agencyId, 'replica');
    const [scores, summary, recent] = await Promise.all([
      this.repository.findForAgency(agency.id, this.publicReads),
      this.reviews.summarize(agency.id, this.publicReads),
      this.reviews.findRecentWithComment(agency.id, RECENT_REVIEWS, this.publicReads),
    ]);
    const outOf = await this.scopeSizes(scores.map((row) => row.countryCode));
    const toRank = (row: ScoreRow): AgencyRankDto => ({
      country: row.countryCode || null,
      rank: row.rank,
      outOf: outOf.get(row.countryCode) ?? row.rank,
      score: round(row.score, 2),
      components: components(row),
      sampleSize: row.sampleSize as unknown as SampleSizeDto,
    });
    const overall = scores.find((row) => row.countryCode === '');
    const reviews: ReviewSummaryDto = {
      count: summary.count,
      averages:
        summary.count > 0
          ? {
              fees: summary.fees!,
              contract: summary.contract!,
              training: summary.training!,
              responsiveness: summary.responsiveness!,
            }
          : null,
      recent: recent.map((row) => ({
        ratings: {
          fees: row.fees,
          contract: row.contract,
          training: row.training,
          responsiveness: row.responsiveness,
        },
        comment: row.comment,
        country: row.countryCode,
        createdAt: row.createdAt.toISOString(),
      })),
    };
    return {
      ...agency,
      ranking: {
        overall: overall ? toRank(overall) : null,
        byCountry: scores.filter((row) => row.countryCode !== '').map(toRank),
        computedAt:
          (
            scores[0]?.computedAt ?? (await this.repository.state(this.publicReads)).computedAt
          )?.toISOString() ?? null,
      },
      reviews,
    };
  }

  /** Folds every queued event (batch after batch); returns how many, or undefined if the ranking was busy. */
  async foldPending(at: () => Date = () => new Date()): Promise<number | undefined> {
    let total = 0;
    for (;;) {
      const folded = await this.repository.fold(FOLD_BATCH, at());
      if (folded === undefined) return total || undefined;
      total += folded;
      if (folded < FOLD_BATCH) return total;
    }
  }

  foldBatch(limit: number, at = new Date()): Promise<number | undefined> {
    return this.repository.fold(limit, at);
  }

  rescore(at = new Date()): Promise<boolean> {
    return this.repository.rescore(at);
  }

  recomputeAll(at = new Date()): Promise<{ consumedEvents: number; contacts: number }> {
    return this.repository.recomputeAll(at);
  }

  pendingEvents(): Promise<number> {
    return this.repository.pendingEvents();
  }

  private async scopeSizes(countryCodes: string[]): Promise<Map<string, number>> {
    if (countryCodes.length === 0) return new Map();
    const rows = await this.repository.countRanked(countryCodes, this.publicReads);
    return new Map(rows.map((row) => [row.countryCode, row.ranked]));
  }
}

function components(row: ScoreRow) {
  return {
    compliance: round(row.compliance, 4),
    responsiveness: round(row.responsiveness, 4),
    outcomes: round(row.outcomes, 4),
    reviews: round(row.reviews, 4),
    activity: round(row.activity, 4),
  };
}

function toEntry(row: ScoreRow): RankingEntryDto {
  return {
    rank: row.rank,
    agency: {
      id: row.agencyId,
      name: row.agencyName,
      licenseNumber: row.licenseNumber,
      licenseStatus: row.licenseStatus,
    },
    score: round(row.score, 2),
    components: components(row),
    sampleSize: row.sampleSize as unknown as SampleSizeDto,
  };
}
