import { normalizeVietnameseNumber, normalizeVietnamesePhone } from './phone';

/** Each input with what normalizeVietnamesePhone and normalizeVietnameseNumber make of it. */
const CASES: [input: string, phone: string | undefined, number: string | undefined, what: string][] = [
  ['0912345678', '+84912345678', '+84912345678', 'mobile'],
  ['+84 912 345 678', '+84912345678', '+84912345678', 'mobile with +84'],
  ['84912345678', '+84912345678', '+84912345678', 'mobile with 84'],
  ['091.234.5678', '+84912345678', '+84912345678', 'mobile with dots'],
  ['(+84) 32-123-4567', '+84321234567', '+84321234567', 'mobile with brackets and dashes'],
  ['0862345678', '+84862345678', '+84862345678', 'mobile prefix 086'],
  ['0701234567', '+84701234567', '+84701234567', 'mobile prefix 070'],
  ['024 0000 0101', undefined, '+842400000101', 'Hà Nội landline'],
  ['02400000101', undefined, '+842400000101', 'Hà Nội landline without spaces'],
  ['+84 24 0000 0101', undefined, '+842400000101', 'Hà Nội landline with +84'],
  ['02838123456', undefined, '+842838123456', 'HCMC landline'],
  ['842838123456', undefined, '+842838123456', 'HCMC landline with 84'],
  ['(028) 3812-3456', undefined, '+842838123456', 'HCMC landline with brackets and dashes'],
  ['1900 1234', undefined, '19001234', 'premium-rate service number'],
  ['1800.123.456', undefined, '1800123456', 'toll-free service number'],
  ['01912345678', undefined, undefined, 'pre-2018 11-digit mobile'],
  ['0241234567', undefined, undefined, 'pre-2017 Hà Nội landline'],
  ['84241234567', undefined, undefined, 'a landline too short after 84'],
  ['091234567', undefined, undefined, 'too short'],
  ['09123456789', undefined, undefined, 'too long'],
  ['0312345678', undefined, undefined, 'unassigned prefix 031'],
  ['19001', undefined, undefined, 'service number too short'],
  ['+1 212 555 0100', undefined, undefined, 'foreign number'],
  ['facebook.com/x', undefined, undefined, 'a link'],
  ['không có', undefined, undefined, 'garbage'],
  ['', undefined, undefined, 'empty'],
];

describe('normalizeVietnamesePhone and normalizeVietnameseNumber', () => {
  it.each(CASES)('%s: phone %s, number %s (%s)', (input, phone, number) => {
    expect(normalizeVietnamesePhone(input)).toBe(phone);
    expect(normalizeVietnameseNumber(input)).toBe(number);
  });
});
