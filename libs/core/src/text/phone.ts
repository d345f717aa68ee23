/**
 * Vietnamese mobile numbers since the 2018 renumbering: 0 + a mobile prefix + 8 digits.
 * Pre-2018 11-digit numbers (01xx...) and landlines (02x...) are not mobiles.
 */
const MOBILE_PREFIXES = /^(3[2-9]|5[25689]|7[06789]|8[1-9]|9\d)\d{7}$/;

/** "0912 345 678", "+84 912 345 678", "84912345678" → "+84912345678"; anything else → undefined. */
export function normalizeVietnamesePhone(input: string): string | undefined {
  const compact = input.trim().replace(/[\s.\-()]/g, '');
  let national: string | undefined;
  if (/^\+84\d+$/.test(compact)) national = compact.slice(3);
  else if (/^84\d{9}$/.test(compact)) national = compact.slice(2);
  else if (/^0\d+$/.test(compact)) national = compact.slice(1);
  return national !== undefined && MOBILE_PREFIXES.test(national) ? `+84${national}` : undefined;
}
