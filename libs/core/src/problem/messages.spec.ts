import { negotiateLanguage } from './messages';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'vi'],
    ['', 'vi'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    ['fr, en;q=0.5', 'en'],
    ['vi;q=0.2, en;q=0.8', 'en'],
    ['de', 'vi'],
  ])('%j → %s', (header, lang) => {
    expect(negotiateLanguage(header)).toBe(lang);
  });
});
