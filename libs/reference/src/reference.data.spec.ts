import { provinceKey } from './province-key';
import { PROVINCES } from './reference.data';

const byFormerName = new Map(
  PROVINCES.flatMap((province) =>
    province.formerNames.map((name): [string, string] => [provinceKey(name), province.code]),
  ),
);

describe('provinces (Resolution 202/2025/QH15)', () => {
  it('has the 34 provinces and the 63 former ones, each former one exactly once', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(PROVINCES.flatMap((province) => province.formerNames)).toHaveLength(63);
    expect(byFormerName.size).toBe(63);
  });

  it.each([
    ['Hà Giang', 'tuyen-quang'],
    ['Yên Bái', 'lao-cai'],
    ['Hòa Bình', 'phu-tho'],
    ['Nam Định', 'ninh-binh'],
    ['Kon Tum', 'quang-ngai'],
    ['Bình Thuận', 'lam-dong'],
    ['Long An', 'tay-ninh'],
    ['Bạc Liêu', 'ca-mau'],
    ['Hải Dương', 'hai-phong'],
    ['Quảng Nam', 'da-nang'],
    ['Bà Rịa - Vũng Tàu', 'ho-chi-minh'],
    ['Hậu Giang', 'can-tho'],
    ['Thừa Thiên Huế', 'hue'],
  ])('maps the former %s to %s', (former, code) => {
    expect(byFormerName.get(provinceKey(former))).toBe(code);
  });

  it('folds spellings of one name to one key', () => {
    expect(provinceKey('TP. Hồ Chí Minh')).toBe(provinceKey('thanh pho ho chi minh'));
    expect(provinceKey('Thanh Hoá')).toBe(provinceKey('thanh hoa'));
  });
});
