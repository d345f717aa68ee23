import { queryThroughDecorators } from '@app/core';

import { JobOrderQueryDto, parseListingQuery } from './job-order.dto';

/** The values the shortcut exists for, written as people and pages write them. */
const PLAIN: Record<string, unknown[]> = {
  limit: ['20', '1', '100'],
  cursor: ['WyJuZXdlc3QiXQ', 'a'.repeat(300)],
  sort: ['newest', 'salary', 'popular'],
  country: ['JP', 'jp', 'Tw'],
  industry: ['food_processing', 'a'.repeat(40)],
  program: ['jp_technical_intern', 'kr_eps'],
  gender: ['male', 'female'],
  birthYear: ['2000', '1940', '2100'],
  salaryMinVnd: ['15000000', '0', '10000000000'],
  maxCostVnd: ['120000000', '0', '10000000000'],
};

/** Other values, valid in odd spellings or wrong, which the decorators judge: the shortcut must agree or pass. */
const OTHER: Record<string, unknown[]> = {
  limit: ['101', '0', '-1', '010', '1.5', '1e1', ' 5', '', 'x', ['5']],
  cursor: ['a'.repeat(301), '', 'a b', '=+/', ['a']],
  sort: ['Newest', '', 'score', ['salary']],
  country: ['JPN', 'J', '', 'J1', ['JP', 'TW']],
  industry: ['a'.repeat(41), 'Food', 'food-processing', ''],
  program: ['JP', ''],
  gender: ['any', 'Male', ''],
  birthYear: ['1939', '2101', '02000', '2000.0', '+2000', ' 2000', '', ['2000']],
  salaryMinVnd: ['10000000001', '-1', '00', '1e7', '1.5', ''],
  maxCostVnd: ['99999999999', '-5', ''],
  q: ['gunma'],
  agencyId: ['5f1e2d3c-2000-4b5a-8c7d-0e1f2a3b4c5d'],
  unknown: ['1'],
};

const VALUES: Record<string, unknown[]> = Object.fromEntries(
  Object.keys(OTHER).map((key) => [key, [...(PLAIN[key] ?? []), ...OTHER[key]]]),
);

/** Every value of every parameter alone, then pairs of each parameter's first value with every other's. */
const CASES: Record<string, unknown>[] = [
  {},
  ...Object.entries(VALUES).flatMap(([key, values]) => values.map((value) => ({ [key]: value }))),
  ...Object.keys(VALUES).flatMap((a) =>
    Object.entries(VALUES)
      .filter(([b]) => b > a)
      .flatMap(([b, values]) => values.map((value) => ({ [a]: VALUES[a][0], [b]: value }))),
  ),
];

describe('the GET /job-orders query shortcut', () => {
  it.each(CASES)('agrees with the decorators on %j', async (query) => {
    const fast = parseListingQuery(query);
    const slow = await queryThroughDecorators(query, JobOrderQueryDto);
    if (fast) expect(fast).toEqual(slow);
    const plain = Object.entries(query).every(([key, value]) => PLAIN[key]?.includes(value));
    if (plain) expect(fast).toBeDefined();
  });

  it('is the shortcut the pipe takes for the listing query', () => {
    expect(parseListingQuery({ country: 'jp', birthYear: '2000' })).toEqual({
      limit: 20,
      sort: 'newest',
      country: 'JP',
      birthYear: 2000,
    });
  });
});
