import type { OrderEligibilityRow } from '@app/job-orders';

import { judgeEligibility } from './eligibility';

const order: OrderEligibilityRow = {
  id: 'o',
  title: 'Đơn hàng',
  agencyId: 'a',
  publicationStatus: 'published',
  agencyLicenseStatus: 'active',
  gender: 'male',
  birthYearFrom: 1990,
  birthYearTo: 2008,
  programCode: 'jp_technical_intern',
  countryCode: 'JP',
};
const now = new Date('2026-11-23T00:00:00Z');

describe('judgeEligibility', () => {
  it('accepts an adult of the right gender inside the range, at both bounds', () => {
    expect(judgeEligibility(order, { birthYear: 1990, gender: 'male' }, now)).toBeUndefined();
    expect(judgeEligibility(order, { birthYear: 2008, gender: 'male' }, now)).toBeUndefined();
    expect(judgeEligibility(order, { birthYear: 2000 }, now)).toBeUndefined();
  });

  it.each([
    [{ birthYear: 1989 }, 'AGE_OUT_OF_RANGE'],
    [{ birthYear: 2009 }, 'AGE_OUT_OF_RANGE'],
    [{ birthYear: 2000, gender: 'female' as const }, 'GENDER_MISMATCH'],
  ])('rejects %j with %s', (applicant, reason) => {
    expect(judgeEligibility(order, applicant, now)).toBe(reason);
  });

  it('requires 18 by birth year even when the order admits younger', () => {
    const young = { ...order, birthYearTo: 2010 };
    expect(judgeEligibility(young, { birthYear: 2008 }, now)).toBeUndefined();
    expect(judgeEligibility(young, { birthYear: 2009 }, now)).toBe('AGE_OUT_OF_RANGE');
  });

  it('rejects closed orders and agencies that are not active', () => {
    expect(judgeEligibility({ ...order, publicationStatus: 'closed' }, { birthYear: 2000 }, now)).toBe(
      'ORDER_NOT_OPEN',
    );
    expect(judgeEligibility({ ...order, agencyLicenseStatus: 'suspended' }, { birthYear: 2000 }, now)).toBe(
      'AGENCY_NOT_ACTIVE',
    );
  });
});
