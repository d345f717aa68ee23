import { randomBytes } from 'node:crypto';

import { PersonalDataCipher } from './personal-data';

describe('PersonalDataCipher', () => {
  const cipher = new PersonalDataCipher(randomBytes(32));

  it('round-trips Vietnamese text and never stores it in the clear', () => {
    const sealed = cipher.encrypt('Nguyễn Thị Đặng');
    expect(sealed).not.toContain('Nguy');
    expect(cipher.decrypt(sealed)).toBe('Nguyễn Thị Đặng');
    expect(cipher.encrypt('Nguyễn Thị Đặng')).not.toBe(sealed);
  });

  it('refuses a tampered value', () => {
    const [version, iv, tag, body] = cipher.encrypt('+84912345678').split(':');
    const flipped = Buffer.from(body, 'base64');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([version, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
  });

  it('hashes deterministically under its key only', () => {
    expect(cipher.lookupHash('+84912345678')).toBe(cipher.lookupHash('+84912345678'));
    expect(new PersonalDataCipher(randomBytes(32)).lookupHash('+84912345678')).not.toBe(
      cipher.lookupHash('+84912345678'),
    );
  });
});
