import { randomFromPool } from '@app/core';

/** Tracking codes: 10 characters without the look-alikes 0, 1, I, L and O, read aloud over the phone. */
const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TRACKING_CODE = /^[2-9A-HJKMNP-Z]{10}$/;

/** Random bytes below this are used (modulo the alphabet's length without bias); the rest are drawn again. */
const UNBIASED_BELOW = 256 - (256 % TRACKING_ALPHABET.length);

export function newTrackingCode(): string {
  let code = '';
  while (code.length < 10) {
    for (const byte of randomFromPool(10 - code.length)) {
      if (byte < UNBIASED_BELOW) code += TRACKING_ALPHABET[byte % TRACKING_ALPHABET.length];
    }
  }
  return code;
}

/** The code as stored (upper case), or undefined when it cannot be one. */
export function normalizeTrackingCode(code: string): string | undefined {
  const upper = code.toUpperCase();
  return TRACKING_CODE.test(upper) ? upper : undefined;
}
