import { deepNfc, foldVietnamese } from './vietnamese';

describe('Vietnamese text', () => {
  it('normalises nested strings to NFC', () => {
    const nfd = 'Chế biến'.normalize('NFD');
    const result = deepNfc({ title: nfd, tags: [nfd], n: 3 });
    expect(result).toEqual({ title: 'Chế biến'.normalize('NFC'), tags: ['Chế biến'.normalize('NFC')], n: 3 });
    expect(result.title).not.toBe(nfd);
  });

  it('folds diacritics and đ, from NFC and NFD alike', () => {
    expect(foldVietnamese('Tiếng Việt Có Dấu')).toBe('tieng viet co dau');
    expect(foldVietnamese('ĐẶNG'.normalize('NFD'))).toBe('dang');
    expect(foldVietnamese('hòa')).toBe(foldVietnamese('hoà'));
  });
});
