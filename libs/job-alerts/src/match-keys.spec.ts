import { alertMatchKey, orderMatchKeys } from './match-keys';

describe('match keys', () => {
  const order = {
    countryCode: 'JP',
    industryCode: 'food_processing',
    programCode: 'jp_tit',
    gender: 'any' as const,
  };

  it("gives an order the key of every alert whose exact filters admit it, and no other's", () => {
    const keys = new Set(orderMatchKeys(order));
    expect(keys.size).toBe(24);
    const admitted = [
      { countryCode: null, industryCode: null, programCode: null, gender: null },
      { countryCode: 'JP', industryCode: null, programCode: null, gender: 'female' as const },
      { countryCode: 'JP', industryCode: 'food_processing', programCode: 'jp_tit', gender: 'male' as const },
      { countryCode: null, industryCode: 'food_processing', programCode: null, gender: null },
    ];
    for (const filters of admitted) expect(keys.has(alertMatchKey(filters))).toBe(true);
    const refused = [
      { countryCode: 'TW', industryCode: null, programCode: null, gender: null },
      { countryCode: 'JP', industryCode: 'construction', programCode: null, gender: null },
      { countryCode: null, industryCode: null, programCode: 'jp_ssw', gender: null },
    ];
    for (const filters of refused) expect(keys.has(alertMatchKey(filters))).toBe(false);
  });

  it('admits a gender filter only for an order open to that gender', () => {
    const keys = new Set(orderMatchKeys({ ...order, gender: 'male' }));
    expect(keys.size).toBe(16);
    const base = { countryCode: 'JP', industryCode: null, programCode: null };
    expect(keys.has(alertMatchKey({ ...base, gender: 'male' }))).toBe(true);
    expect(keys.has(alertMatchKey({ ...base, gender: null }))).toBe(true);
    expect(keys.has(alertMatchKey({ ...base, gender: 'female' }))).toBe(false);
  });
});
