import { jsonLimitExceeded } from './json-limits';

const limits = { maxDepth: 32, maxKeys: 1000 };
const nested = (depth: number) =>
  JSON.parse(`${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`) as object;

describe('jsonLimitExceeded', () => {
  it('accepts 32 levels and refuses 33, in objects and arrays', () => {
    expect(jsonLimitExceeded(nested(32), limits)).toBeUndefined();
    expect(jsonLimitExceeded(nested(33), limits)).toBe('maxDepth');
    expect(jsonLimitExceeded(JSON.parse(`${'['.repeat(33)}${']'.repeat(33)}`), limits)).toBe('maxDepth');
  });

  it('walks 100,000 levels without recursion', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(jsonLimitExceeded(deep, limits)).toBe('maxDepth');
  });

  it('counts the keys of the whole body', () => {
    const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, { x: 1 }]));
    expect(jsonLimitExceeded(wide(500), limits)).toBeUndefined();
    expect(jsonLimitExceeded(wide(501), limits)).toBe('maxKeys');
  });

  it('ignores what is not an object', () => {
    expect(jsonLimitExceeded(undefined, limits)).toBeUndefined();
    expect(jsonLimitExceeded('[[[[', limits)).toBeUndefined();
  });
});
