import { normalizeVietnameseNumber, normalizeVietnamesePhone } from './phone';

describe('normalizeVietnamesePhone', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['091.234.5678', '+84912345678'],
    ['(+84) 32-123-4567', '+84321234567'],
    ['0862345678', '+84862345678'],
    ['0701234567', '+84701234567'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeVietnamesePhone(input)).toBe(expected);
  });

  it.each([
    ['01912345678', 'pre-2018 11-digit mobile'],
    ['0241234567', 'Hà Nội landline'],
    ['02838123456', 'HCMC landline'],
    ['091234567', 'too short'],
    ['09123456789', 'too long'],
    ['0312345678', 'unassigned prefix 031'],
    ['+1 212 555 0100', 'foreign number'],
    ['không có', 'garbage'],
    ['', 'empty'],
  ])('rejects %s (%s)', (input) => {
    expect(normalizeVietnamesePhone(input)).toBeUndefined();
  });
});

describe('normalizeVietnameseNumber', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['024 0000 0101', '+842400000101'],
    ['02400000101', '+842400000101'],
    ['+84 24 0000 0101', '+842400000101'],
    ['842838123456', '+842838123456'],
    ['(028) 3812-3456', '+842838123456'],
    ['1900 1234', '19001234'],
    ['1800.123.456', '1800123456'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeVietnameseNumber(input)).toBe(expected);
  });

  it.each([
    ['01912345678', 'pre-2018 11-digit mobile'],
    ['0241234567', 'pre-2017 Hà Nội landline'],
    ['84241234567', 'a landline too short after 84'],
    ['091234567', 'too short'],
    ['0312345678', 'unassigned prefix 031'],
    ['19001', 'service number too short'],
    ['+1 212 555 0100', 'foreign number'],
    ['facebook.com/x', 'a link'],
    ['', 'empty'],
  ])('rejects %s (%s)', (input) => {
    expect(normalizeVietnameseNumber(input)).toBeUndefined();
  });
});
