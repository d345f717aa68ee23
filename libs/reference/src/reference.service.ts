import { Actor, AuditLog, CachedRead, cacheEvent, Caches, ProblemException } from '@app/core';
import { Injectable } from '@nestjs/common';

import { provinceKey } from './province-key';
import { ReferenceRepository } from './reference.repository';
import { Country, Industry, Program, Province } from './reference.entity';

interface Taxonomies {
  provinces: Province[];
  provinceByKey: Map<string, Province>;
  countries: Country[];
  industries: Industry[];
  programs: Program[];
}

const CURRENCY = /^[A-Z]{3}$/;
const MAX_CURRENCIES = 200;
/** numeric(14,4) holds up to 10 integer digits. */
const MAX_RATE = 1e10;

/**
 * Announced in the transaction that sets the rates. Whatever is priced in VND from them reacts in that same
 * transaction, so nothing is ever shown at two different rates.
 */
/** A change of rates ends the cached rates in every process at once; the bound covers a lost announcement. */
const RATES_MAX_AGE_MS = 60_000;

export const EXCHANGE_RATES_CHANGED = cacheEvent<{ currencies: string[] }>('reference.exchange-rates');

/** Reference data changes only with a migration, so it is read once per process (exchange rates excepted). */
@Injectable()
export class ReferenceService {
  private readonly taxonomies: CachedRead<Taxonomies>;
  private readonly rates: CachedRead<Map<string, number>>;

  constructor(
    private readonly repository: ReferenceRepository,
    private readonly audit: AuditLog,
    private readonly caches: Caches,
  ) {
    this.taxonomies = caches.define({ name: 'taxonomies', maxAgeMs: Infinity });
    this.rates = caches.define({
      name: 'exchange-rates',
      maxAgeMs: RATES_MAX_AGE_MS,
      endedBy: [EXCHANGE_RATES_CHANGED],
    });
  }

  async provinces(): Promise<Province[]> {
    return (await this.load()).provinces;
  }

  async countries(): Promise<Country[]> {
    return (await this.load()).countries;
  }

  async industries(): Promise<Industry[]> {
    return (await this.load()).industries;
  }

  async programs(): Promise<Program[]> {
    return (await this.load()).programs;
  }

  /** Finds a province by its new name, one of the 63 old names or a common variant, with or without diacritics. */
  async resolveProvince(name: string): Promise<Province | undefined> {
    return (await this.load()).provinceByKey.get(provinceKey(name));
  }

  /** VND per unit for each currency (VND itself is 1); every listing page reads them. */
  exchangeRates(): Promise<Map<string, number>> {
    return this.rates.get('all', () => this.readExchangeRates());
  }

  private async readExchangeRates(): Promise<Map<string, number>> {
    const rates = await this.repository.findExchangeRates();
    return new Map([
      ['VND', 1],
      ...rates.map((rate): [string, number] => [rate.currency, Number(rate.vndPerUnit)]),
    ]);
  }

  /**
   * Replaces the rates of the given currencies (VND per unit). Currency codes are ISO 4217 letters, rates
   * positive with at most 4 decimals; anything else is a 400 naming the entry.
   */
  async setExchangeRates(actor: Actor, rates: Record<string, unknown>): Promise<Map<string, number>> {
    const entries = Object.entries(rates);
    const invalid = entries.filter(
      ([currency, rate]) =>
        !CURRENCY.test(currency) ||
        currency === 'VND' ||
        typeof rate !== 'number' ||
        !Number.isFinite(rate) ||
        rate <= 0 ||
        rate >= MAX_RATE ||
        Number(rate.toFixed(4)) !== rate,
    );
    if (entries.length === 0 || entries.length > MAX_CURRENCIES || invalid.length > 0) {
      throw ProblemException.validation(
        invalid.length > 0
          ? invalid.map(([currency]) => ({ field: `rates.${currency}`, constraint: 'isExchangeRate' }))
          : [{ field: 'rates', constraint: 'arrayLength' }],
      );
    }
    const before = await this.readExchangeRates();
    const after = entries.map(([currency, rate]): [string, string] => [
      currency,
      (rate as number).toFixed(4),
    ]);
    await this.audit.transaction(async (tx) => {
      await this.repository.saveExchangeRates(tx, after);
      await this.caches.announce(EXCHANGE_RATES_CHANGED, tx, {
        currencies: after.map(([currency]) => currency),
      });
      await this.audit.append(tx, {
        actor,
        action: 'exchange_rates.set',
        entityType: 'exchange_rates',
        entityId: 'VND',
        before: Object.fromEntries(after.map(([currency]) => [currency, before.get(currency) ?? null])),
        after: Object.fromEntries(after.map(([currency, rate]) => [currency, Number(rate)])),
      });
    });
    return this.readExchangeRates();
  }

  private load(): Promise<Taxonomies> {
    return this.taxonomies.get('all', () => this.fetch());
  }

  private async fetch(): Promise<Taxonomies> {
    const [provinces, aliases, countries, industries, programs] = await Promise.all([
      this.repository.findProvinces(),
      this.repository.findProvinceAliases(),
      this.repository.findCountries(),
      this.repository.findIndustries(),
      this.repository.findPrograms(),
    ]);
    const byCode = new Map(provinces.map((province) => [province.code, province]));
    const provinceByKey = new Map(aliases.map((alias) => [alias.key, byCode.get(alias.provinceCode)!]));
    return { provinces, provinceByKey, countries, industries, programs };
  }
}
