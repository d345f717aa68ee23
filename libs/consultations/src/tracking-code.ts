import { randomInt } from 'node:crypto';

/** Tracking codes: 10 characters without the look-alikes 0, 1, I, L and O, read aloud over the phone. */
const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TRACKING_CODE = /^[2-9A-HJKMNP-Z]{10}$/;

export function newTrackingCode(): string {
  return Array.from({ length: 10 }, () => TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)]).join('');
}

/** The code as stored (upper case), or undefined when it cannot be one. */
export function normalizeTrackingCode(code: string): string | undefined {
  const upper = code.toUpperCase();
  return TRACKING_CODE.test(upper) ? upper : undefined;
}
