import { normalizeTrackingCode } from '@app/consultations';
import { normalizeVietnamesePhone, PersonalDataCipher, ProblemException, Tx } from '@app/core';
import { HttpStatus, Injectable } from '@nestjs/common';

import { CreateReviewDto, ReviewDto } from './dto/review.dto';
import { ReviewsRepository } from './reviews.repository';

// Runs of digits, spaces, dots, dashes and a leading +: whatever might be a phone number written out.
const DIGIT_RUN = /\+?\d[\d .-]{7,}\d/g;
export const MASKED_PHONE = '[số điện thoại đã ẩn]';

/** A comment as stored and shown: trimmed, empty as none, phone numbers masked. */
export function cleanComment(comment: string | undefined): string | null {
  const trimmed = comment?.trim();
  if (!trimmed) return null;
  return trimmed.replace(DIGIT_RUN, (run) => (normalizeVietnamesePhone(run) ? MASKED_PHONE : run));
}

@Injectable()
export class ReviewsService {
  constructor(
    private readonly repository: ReviewsRepository,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /**
   * The job seeker's review, by the holder of the request's phone (proven by a one-time code): only a request
   * the agency contacted may be reviewed, once.
   */
  async create(
    trackingCode: string,
    dto: CreateReviewDto,
    context: { ip: string; phoneHash: string },
  ): Promise<ReviewDto> {
    const code = normalizeTrackingCode(trackingCode);
    const request = code ? await this.repository.findRequest(code) : undefined;
    if (!request) throw ProblemException.notFound();
    if (request.phoneHash !== context.phoneHash)
      throw new ProblemException(HttpStatus.FORBIDDEN, 'FORBIDDEN');
    if (!request.contacted) throw new ProblemException(HttpStatus.CONFLICT, 'REVIEW_NOT_ALLOWED_YET');
    const comment = cleanComment(dto.comment);
    const stored = await this.repository.insertForContacted({
      requestId: request.id,
      ipHash: this.cipher.lookupHash(`ip:${context.ip}`),
      ...dto.ratings,
      comment,
    });
    if (!stored) throw new ProblemException(HttpStatus.CONFLICT, 'ALREADY_REVIEWED');
    return {
      trackingCode: request.trackingCode,
      ratings: { ...dto.ratings },
      comment,
      createdAt: stored.createdAt.toISOString(),
    };
  }

  /** The reviews written with the phone, for its applicant's export. */
  async exportForPhone(phoneHash: string): Promise<ReviewDto[]> {
    const rows = await this.repository.findForPhone(phoneHash);
    return rows.map((row) => ({
      trackingCode: row.trackingCode,
      ratings: {
        fees: row.fees,
        contract: row.contract,
        training: row.training,
        responsiveness: row.responsiveness,
      },
      comment: row.comment,
      createdAt: row.createdAt.toISOString(),
    }));
  }

  eraseForPhone(tx: Tx, phoneHash: string): Promise<void> {
    return this.repository.eraseCommentsOfPhone(tx, phoneHash);
  }
}
