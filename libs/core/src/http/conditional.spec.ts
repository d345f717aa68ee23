import { acceptsGzip, ifNoneMatch } from './conditional';

describe('ifNoneMatch', () => {
  it('matches the same tag, weakly, in a list, or *', () => {
    expect(ifNoneMatch('"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatch('W/"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatch('"abc"', 'W/"abc"')).toBe(true);
    expect(ifNoneMatch('"x", W/"abc" , "y"', 'W/"abc"')).toBe(true);
    expect(ifNoneMatch(['"x"', '"abc"'], '"abc"')).toBe(true);
    expect(ifNoneMatch('*', '"abc"')).toBe(true);
  });

  it('does not match another tag, a prefix, no header or no tag', () => {
    expect(ifNoneMatch('"abd"', '"abc"')).toBe(false);
    expect(ifNoneMatch('"ab"', '"abc"')).toBe(false);
    expect(ifNoneMatch('abc', '"abc"')).toBe(false);
    expect(ifNoneMatch(undefined, '"abc"')).toBe(false);
    expect(ifNoneMatch('"abc"', undefined)).toBe(false);
    expect(ifNoneMatch('*', undefined)).toBe(false);
  });
});

describe('acceptsGzip', () => {
  it('accepts gzip when listed or covered by *, unless its q is 0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*, gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('br, *;q=0')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
