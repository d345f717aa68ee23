import { timingSafeEqual } from 'node:crypto';

import { PersonalDataCipher } from '@app/core';
import { Injectable } from '@nestjs/common';

const MAC_CHARS = 10;
const TOKEN = /^([0-9a-z]{1,13})\.([A-Za-z0-9_-]{10})$/;

/**
 * The token of a stop link: the alert's id in base 36 and 60 bits of an HMAC of it under the personal-data
 * key (`7ps.Kq3v9XbT0a`). Short, so the link fits in the text with the order's; unforgeable, so nobody can
 * stop another phone's alerts by counting ids; and no sign-in, so one tap is enough.
 */
@Injectable()
export class AlertStopTokens {
  constructor(private readonly cipher: PersonalDataCipher) {}

  sign(alertId: string): string {
    const id = BigInt(alertId).toString(36);
    return `${id}.${this.mac(id)}`;
  }

  /** The alert id the token names, or undefined for anything not signed by this server. */
  verify(token: string): string | undefined {
    const match = TOKEN.exec(token);
    if (!match) return undefined;
    const [, id, mac] = match;
    const expected = Buffer.from(this.mac(id));
    if (!timingSafeEqual(Buffer.from(mac), expected)) return undefined;
    return [...id].reduce((value, digit) => value * 36n + BigInt(parseInt(digit, 36)), 0n).toString();
  }

  private mac(id: string): string {
    return Buffer.from(this.cipher.lookupHash(`job-alert-stop:${id}`), 'hex')
      .toString('base64url')
      .slice(0, MAC_CHARS);
  }
}
