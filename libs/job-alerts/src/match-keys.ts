import type { GenderRequirement } from '@app/job-orders';

/** What a key holds for a filter left empty ("any"). */
export const ANY = '*';

export interface ExactFilters {
  countryCode: string | null;
  industryCode: string | null;
  programCode: string | null;
  gender: 'male' | 'female' | null;
}

/** The key an alert is indexed under: its four exact filters, `*` for each left empty. */
export function alertMatchKey(filters: ExactFilters): string {
  return [filters.countryCode, filters.industryCode, filters.programCode, filters.gender]
    .map((value) => value ?? ANY)
    .join('|');
}

/**
 * Every key an alert whose exact filters all admit this order can have: each filter either names the order's
 * value or is empty, and a gender filter admits an order open to that gender (its own or `any`). At most
 * 2 × 2 × 2 × 3 = 24 keys, so matching is 24 index probes however many alerts are saved.
 */
export function orderMatchKeys(order: {
  countryCode: string;
  industryCode: string;
  programCode: string;
  gender: GenderRequirement;
}): string[] {
  const genders = order.gender === 'any' ? [ANY, 'male', 'female'] : [ANY, order.gender];
  const keys: string[] = [];
  for (const country of [order.countryCode, ANY])
    for (const industry of [order.industryCode, ANY])
      for (const program of [order.programCode, ANY])
        for (const gender of genders) keys.push([country, industry, program, gender].join('|'));
  return keys;
}
