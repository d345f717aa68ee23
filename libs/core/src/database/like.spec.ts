import { containsPattern, escapeLike } from './like';

describe('escapeLike', () => {
  it.each([
    ['_', '\\_'],
    ['%', '\\%'],
    ['\\', '\\\\'],
    ['50%_off\\', '50\\%\\_off\\\\'],
    ['Ánh Dương', 'Ánh Dương'],
  ])('escapes %j', (text, pattern) => {
    expect(escapeLike(text)).toBe(pattern);
  });

  it('wraps a literal in a contains pattern', () => {
    expect(containsPattern('a_b')).toBe('%a\\_b%');
  });
});
