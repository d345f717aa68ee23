import { ProblemException } from '../problem/problem.exception';
import { decodeCursor, encodeCursor } from './pagination';

describe('cursors', () => {
  it('round-trips a key', () => {
    expect(decodeCursor(encodeCursor(['newest', '2026-01-01 00:00:00+00', 'abc']), ['s', 's', 's'])).toEqual([
      'newest',
      '2026-01-01 00:00:00+00',
      'abc',
    ]);
  });

  it.each([
    ['garbage!'],
    [encodeCursor(['a'])],
    [encodeCursor([1, 'b'])],
    [Buffer.from('{}').toString('base64url')],
  ])('rejects %s with INVALID_CURSOR', (cursor) => {
    expect(() => decodeCursor(cursor, ['s', 's'])).toThrow(ProblemException);
  });
});
