import { foldVietnamese } from '@app/core';

const PREFIXES = /^(thanh pho|tp|tinh)\s+/;

/** "TP. Hồ Chí Minh", "tp ho chi minh", "Thành phố Hồ Chí Minh" → "ho chi minh". */
export function provinceKey(name: string): string {
  return foldVietnamese(name)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(PREFIXES, '');
}

/** Variants people write that are neither an old nor a new official name. */
export const PROVINCE_NICKNAMES: Record<string, string> = {
  'sai gon': 'ho-chi-minh',
  hcm: 'ho-chi-minh',
  'vung tau': 'ho-chi-minh',
  'ba ria': 'ho-chi-minh',
  'ha noi capital': 'ha-noi',
};
