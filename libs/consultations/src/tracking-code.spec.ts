import { newTrackingCode, normalizeTrackingCode } from './tracking-code';

describe('newTrackingCode', () => {
  it('gives readable 10-character codes, every character as likely as the others', () => {
    const codes = Array.from({ length: 20_000 }, () => newTrackingCode());
    for (const code of codes) expect(normalizeTrackingCode(code)).toBe(code);
    expect(new Set(codes).size).toBe(codes.length);

    const counts = new Map<string, number>();
    for (const char of codes.join('')) counts.set(char, (counts.get(char) ?? 0) + 1);
    // 31 characters, none of the look-alikes 0, 1, I, L and O.
    expect(counts.size).toBe(31);
    // Within 5 %: a plain `byte % 31` would give the first 8 characters 9 % more than the rest.
    const expected = (codes.length * 10) / 31;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.05);
  });
});
