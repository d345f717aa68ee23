import { Reader, Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ReviewableRequest {
  id: string;
  trackingCode: string;
  phoneHash: string;
  contacted: boolean;
}

export interface NewReview {
  requestId: string;
  ipHash: string | null;
  fees: number;
  contract: number;
  training: number;
  responsiveness: number;
  comment: string | null;
}

export interface ReviewSummaryRow {
  count: number;
  fees: number | null;
  contract: number | null;
  training: number | null;
  responsiveness: number | null;
}

export interface ReviewExcerptRow {
  fees: number;
  contract: number;
  training: number;
  responsiveness: number;
  comment: string | null;
  countryCode: string;
  createdAt: Date;
}

@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findRequest(trackingCode: string): Promise<ReviewableRequest | undefined> {
    const rows: ReviewableRequest[] = await this.dataSource.query(
      `SELECT id, tracking_code AS "trackingCode", phone_hash AS "phoneHash",
         first_contacted_at IS NOT NULL AS contacted
       FROM consultation_requests WHERE tracking_code = $1`,
      [trackingCode],
    );
    return rows[0];
  }

  /**
   * Stores the review of a contacted request, with the request's agency, destination and phone hash;
   * returns undefined when the request or the phone has a review for this agency already.
   */
  async insertForContacted(review: NewReview): Promise<{ createdAt: Date } | undefined> {
    const rows: { createdAt: Date }[] = await this.dataSource.query(
      `INSERT INTO reviews (request_id, agency_id, country_code, phone_hash, ip_hash, fees, contract, training,
         responsiveness, comment)
       SELECT r.id, r.agency_id, o.country_code, r.phone_hash, $2, $3, $4, $5, $6, $7
       FROM consultation_requests r JOIN job_orders o ON o.id = r.job_order_id
       WHERE r.id = $1 AND r.first_contacted_at IS NOT NULL
       ON CONFLICT DO NOTHING RETURNING created_at AS "createdAt"`,
      [
        review.requestId,
        review.ipHash,
        review.fees,
        review.contract,
        review.training,
        review.responsiveness,
        review.comment,
      ],
    );
    return rows[0];
  }

  async summarize(agencyId: string, reader: Reader = this.dataSource): Promise<ReviewSummaryRow> {
    const [row]: ReviewSummaryRow[] = await reader.query(
      `SELECT count(*)::int AS count, round(avg(fees), 2)::float8 AS fees, round(avg(contract), 2)::float8 AS contract,
         round(avg(training), 2)::float8 AS training, round(avg(responsiveness), 2)::float8 AS responsiveness
       FROM reviews WHERE agency_id = $1`,
      [agencyId],
    );
    return row;
  }

  findRecentWithComment(
    agencyId: string,
    limit: number,
    reader: Reader = this.dataSource,
  ): Promise<ReviewExcerptRow[]> {
    return reader.query(
      `SELECT fees, contract, training, responsiveness, comment, country_code AS "countryCode",
         created_at AS "createdAt"
       FROM reviews WHERE agency_id = $1 AND comment IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT $2`,
      [agencyId, limit],
    );
  }

  /** The reviews written with one phone, for its applicant's export. */
  findForPhone(phoneHash: string): Promise<PhoneReviewRow[]> {
    return this.dataSource.query(
      `SELECT r.tracking_code AS "trackingCode", v.fees, v.contract, v.training, v.responsiveness, v.comment,
         v.created_at AS "createdAt"
       FROM reviews v JOIN consultation_requests r ON r.id = v.request_id
       WHERE v.phone_hash = $1 ORDER BY v.created_at, v.id`,
      [phoneHash],
    );
  }

  /** Erasure keeps the ratings (the ranking stays as it was) and drops the words. */
  async eraseCommentsOfPhone(tx: Tx, phoneHash: string): Promise<void> {
    await tx.query(`UPDATE reviews SET comment = NULL WHERE phone_hash = $1`, [phoneHash]);
  }
}

export interface PhoneReviewRow {
  trackingCode: string;
  fees: number;
  contract: number;
  training: number;
  responsiveness: number;
  comment: string | null;
  createdAt: Date;
}
