import { MINIMUM_WORKER_AGE } from '@app/compliance';
import type { OrderEligibilityRow } from '@app/job-orders';

import type { ApplicantGender } from './consultation.entity';

export type RejectionReason =
  | 'ORDER_NOT_OPEN'
  | 'AGENCY_NOT_ACTIVE'
  | 'AGE_OUT_OF_RANGE'
  | 'GENDER_MISMATCH'
  | 'LOCALITY_SUSPENDED';

export interface Applicant {
  birthYear: number;
  gender?: ApplicantGender | null;
}

/** The rules that can be judged from the order and the applicant alone; the first that fails, if any. */
export function judgeEligibility(
  order: OrderEligibilityRow,
  applicant: Applicant,
  now: Date,
): RejectionReason | undefined {
  if (order.agencyLicenseStatus !== 'active') return 'AGENCY_NOT_ACTIVE';
  if (order.publicationStatus !== 'published') return 'ORDER_NOT_OPEN';
  const age = now.getUTCFullYear() - applicant.birthYear;
  if (
    age < MINIMUM_WORKER_AGE ||
    applicant.birthYear < order.birthYearFrom ||
    applicant.birthYear > order.birthYearTo
  ) {
    return 'AGE_OUT_OF_RANGE';
  }
  if (applicant.gender && order.gender !== 'any' && order.gender !== applicant.gender)
    return 'GENDER_MISMATCH';
  return undefined;
}
