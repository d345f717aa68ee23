import { queryThroughDecorators } from '@app/core';

import { parseTopAgenciesQuery, TopAgenciesQueryDto } from './ranking.dto';

/** Queries the shortcut exists for: a two-letter country and a limit written plainly, each optional. */
const isPlain = (country: unknown, limit: unknown) =>
  (country === undefined || (typeof country === 'string' && /^[A-Za-z]{2}$/.test(country))) &&
  (limit === undefined || (typeof limit === 'string' && /^(100|[1-9]\d?)$/.test(limit)));

const countries = [undefined, 'JP', 'jp', 'Jp', 'JPN', 'J', '', 'J1', ['JP', 'TW']];
const limits = [
  undefined,
  '1',
  '10',
  '99',
  '100',
  '101',
  '0',
  '-1',
  '010',
  '1.5',
  '1e2',
  ' 5',
  '',
  'x',
  ['5'],
];

describe('the GET /agencies/top query shortcut', () => {
  it.each(countries.flatMap((country) => limits.map((limit) => ({ country, limit }))))(
    'agrees with the decorators on %j',
    async ({ country, limit }) => {
      const query: Record<string, unknown> = {};
      if (country !== undefined) query.country = country;
      if (limit !== undefined) query.limit = limit;
      const fast = parseTopAgenciesQuery(query);
      const slow = await queryThroughDecorators(query, TopAgenciesQueryDto);
      if (fast) expect(slow).toEqual(fast);
      else if (isPlain(country, limit)) throw new Error('the shortcut refused a plain valid query');
    },
  );

  it('leaves unknown parameters to the decorators, which refuse them', async () => {
    expect(parseTopAgenciesQuery({ limit: '5', sort: 'score' })).toBeUndefined();
    expect(await queryThroughDecorators({ limit: '5', sort: 'score' }, TopAgenciesQueryDto)).toBe('refused');
  });
});
