/**
 * Vietnamese mobile numbers since the 2018 renumbering: 0 + a mobile prefix + 8 digits.
 * Pre-2018 11-digit numbers (01xx...) and landlines (02x...) are not mobiles.
 */
const MOBILE_PREFIXES = /^(3[2-9]|5[25689]|7[06789]|8[1-9]|9\d)\d{7}$/;
/** Fixed lines since the 2017 renumbering: 0 + a 2x(x) area code and the subscriber, 10 digits after the 0. */
const FIXED_LINE = /^2\d{9}$/;
/** Toll-free and premium-rate service numbers (1800…, 1900…), written without a country code. */
const SERVICE_NUMBER = /^1[89]00\d{4,6}$/;

function compact(input: string): string {
  return input.trim().replace(/[\s.\-()]/g, '');
}

/** The digits after +84, 84 or the national 0, or undefined. `landline` admits the 10 digits of a fixed line. */
function nationalPart(digits: string, landline: boolean): string | undefined {
  if (/^\+84\d+$/.test(digits)) return digits.slice(3);
  if (/^84\d{9}$/.test(digits) || (landline && /^842\d{9}$/.test(digits))) return digits.slice(2);
  if (/^0\d+$/.test(digits)) return digits.slice(1);
  return undefined;
}

/** "0912 345 678", "+84 912 345 678", "84912345678" → "+84912345678"; anything else → undefined. */
export function normalizeVietnamesePhone(input: string): string | undefined {
  const national = nationalPart(compact(input), false);
  return national !== undefined && MOBILE_PREFIXES.test(national) ? `+84${national}` : undefined;
}

/**
 * Any Vietnamese number a business may answer on, in one canonical form: a mobile or a fixed line as E.164
 * ("024 0000 0101" → "+842400000101"), a 1800/1900 service number as its digits; anything else → undefined.
 * Business numbers are often fixed lines, so a number is looked up in this form; the database function
 * f_phone_key (see its migration) computes the same key for stored numbers.
 */
export function normalizeVietnameseNumber(input: string): string | undefined {
  const digits = compact(input);
  if (SERVICE_NUMBER.test(digits)) return digits;
  const national = nationalPart(digits, true);
  return national !== undefined && (MOBILE_PREFIXES.test(national) || FIXED_LINE.test(national))
    ? `+84${national}`
    : undefined;
}
