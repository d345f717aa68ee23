/**
 * Synthetic marketplace data for the job-order benchmark: agencies and job orders whose titles, places,
 * programmes, salaries and costs look like the real Vietnamese labour-export listings, so the trigram search
 * and the filters see realistic selectivity. Deterministic for a given seed. The vocabulary (destinations,
 * industries, agency names) is in job-order-markets.json.
 *
 * Rows are generated in JavaScript and written with one `INSERT ... SELECT FROM unnest(...)` per batch; the
 * triggers fill search_text, and salary_vnd_estimate comes from the exchange_rates table like the seed does.
 * A million orders take minutes rather than an hour because, after a reset, job_orders' secondary indexes and
 * foreign keys are set aside during the load and rebuilt once at the end (one sort per index instead of a
 * million trigram insertions into a live GIN index), and the next batch is built while PostgreSQL inserts the
 * previous one.
 */
import { DataSource, EntityManager } from 'typeorm';

import markets from './job-order-markets.json';

export interface GenerateOptions {
  /** Job orders to create. */
  orders: number;
  /** Agencies to create; about 3% of them are suspended. */
  agencies?: number;
  /** Seed of the pseudo-random generator: the same seed gives the same data. */
  seed?: number;
  /** Rows per INSERT statement. */
  batchSize?: number;
  /**
   * Empties agencies and job_orders first (TRUNCATE ... CASCADE: everything referencing them goes too); the
   * secondary indexes and foreign keys of job_orders are then rebuilt after the load rather than maintained
   * row by row (same definitions, same names).
   */
  reset?: boolean;
  onProgress?: (inserted: number, total: number) => void;
}

export interface GenerateResult {
  agencies: number;
  orders: number;
  published: number;
  /** Seconds spent inserting (triggers included; index maintenance too unless `reset`). */
  insertSeconds: number;
  /** Seconds spent rebuilding the indexes and foreign keys set aside for the load (0 without `reset`). */
  indexSeconds: number;
  /** Seconds spent in VACUUM ANALYZE. */
  analyzeSeconds: number;
}

/** [min, max]; a plain array, as the JSON holds it. */
type Range = readonly number[];

interface Destination {
  country: string;
  countryVi: string;
  program: string;
  /** How listings name the programme in a title. */
  programLabel: string;
  currency: string;
  /** Base monthly salary in `currency`, rounded to `step`. */
  salary: Range;
  step: number;
  contractMonths: readonly number[];
  industries: readonly string[];
  /** Costs to the worker, VND. */
  serviceFee: Range;
  training: Range;
  deposit: Range;
  airfare: Range;
  other: Range;
  /** Youngest accepted birth year (birth_year_to) and the span back to birth_year_from. */
  youngest: Range;
  span: Range;
  weight: number;
}

interface Industry {
  /** Phrases used in titles, capitalised as they appear after "Tuyển 16 Nam". */
  phrases: readonly string[];
  occupations: readonly string[];
  /** Probability that an order is for men only / women only; the rest accept anyone. */
  male: number;
  female: number;
}

const DESTINATIONS: readonly Destination[] = markets.destinations;
/** Places of work in each destination country, as listings name them. */
const PLACES: Readonly<Record<string, readonly string[]>> = markets.places;
const INDUSTRIES: Readonly<Record<string, Industry>> = markets.industries;
const SELLING_POINTS: readonly string[] = markets.sellingPoints;
const AGENCY_NAMES = markets.agencyNames;
/** Province code, name and telephone area code. */
const AGENCY_PROVINCES: readonly (readonly string[])[] = markets.agencyProvinces;

/** mulberry32: small, fast, good enough to make benchmark data reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** A value in the range, rounded down to `step`. */
  amount([min, max]: Range, step: number): number {
    return min === max ? min : Math.max(min, Math.floor(this.int(min, max) / step) * step);
  }
  weighted<T extends { weight: number }>(items: readonly T[], total: number): T {
    let roll = this.next() * total;
    for (const item of items) {
      roll -= item.weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1];
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);
const million = (vnd: number) => `${Math.round(vnd / 1_000_000)} triệu`;

interface OrderColumns {
  agency_id: string[];
  title: string[];
  occupation: string[];
  description: string[];
  requirements: string[];
  country_code: string[];
  work_location: string[];
  industry_code: string[];
  program_code: string[];
  openings: number[];
  gender: string[];
  birth_year_from: number[];
  birth_year_to: number[];
  salary_amount: number[];
  salary_currency: string[];
  contract_months: number[];
  service_fee_vnd: number[];
  training_fee_vnd: number[];
  deposit_vnd: number[];
  airfare_vnd: number[];
  other_cost_vnd: number[];
  expected_departure_months: number[];
  registration_status: string[];
  registration_number: (string | null)[];
  registration_approved_on: (string | null)[];
  approved_headcount: (number | null)[];
  publication_status: string[];
  published_at: (string | null)[];
  views: number[];
}

/** Column name and the array type its values are sent as. */
const ORDER_COLUMNS: readonly [keyof OrderColumns, string][] = [
  ['agency_id', 'uuid'],
  ['title', 'text'],
  ['occupation', 'text'],
  ['description', 'text'],
  ['requirements', 'text'],
  ['country_code', 'text'],
  ['work_location', 'text'],
  ['industry_code', 'text'],
  ['program_code', 'text'],
  ['openings', 'int'],
  ['gender', 'gender_requirement'],
  ['birth_year_from', 'smallint'],
  ['birth_year_to', 'smallint'],
  ['salary_amount', 'numeric'],
  ['salary_currency', 'text'],
  ['contract_months', 'smallint'],
  ['service_fee_vnd', 'bigint'],
  ['training_fee_vnd', 'bigint'],
  ['deposit_vnd', 'bigint'],
  ['airfare_vnd', 'bigint'],
  ['other_cost_vnd', 'bigint'],
  ['expected_departure_months', 'smallint'],
  ['registration_status', 'registration_status'],
  ['registration_number', 'text'],
  ['registration_approved_on', 'date'],
  ['approved_headcount', 'int'],
  ['publication_status', 'publication_status'],
  ['published_at', 'timestamptz'],
  ['views', 'bigint'],
];

const COSTS = [
  'service_fee_vnd',
  'training_fee_vnd',
  'deposit_vnd',
  'airfare_vnd',
  'other_cost_vnd',
] as const;

const INSERT_ORDERS = `
  INSERT INTO job_orders (${ORDER_COLUMNS.map(([name]) => name).join(', ')},
    brokerage_fee_vnd, total_cost_vnd, salary_vnd_estimate)
  SELECT ${ORDER_COLUMNS.map(([name]) => `t.${name}`).join(', ')},
    0, ${COSTS.map((name) => `t.${name}`).join(' + ')}, round(t.salary_amount * r.vnd_per_unit)
  FROM unnest(${ORDER_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
    AS t(${ORDER_COLUMNS.map(([name]) => name).join(', ')})
  JOIN exchange_rates r ON r.currency = t.salary_currency`;

function emptyColumns(): OrderColumns {
  return Object.fromEntries(ORDER_COLUMNS.map(([name]) => [name, []])) as unknown as OrderColumns;
}

interface TitleParts {
  phrase: string;
  location: string;
  openings: number;
  gender: string;
  salaryVnd: number;
}

function title(
  dice: Dice,
  d: Destination,
  { phrase, location, openings, gender, salaryVnd }: TitleParts,
): string {
  const who = gender === 'male' ? 'Nam' : gender === 'female' ? 'Nữ' : 'Nam Nữ';
  switch (dice.int(0, 6)) {
    case 0:
    case 1:
      return `Tuyển ${openings} ${who} ${phrase} tại ${location}, ${d.countryVi}`;
    case 2:
      return `Đơn hàng ${d.countryVi} ${lowerFirst(phrase)} - ${location}`;
    case 3:
      return `Đơn ${d.countryVi} ${lowerFirst(phrase)} - ${dice.pick(SELLING_POINTS)}`;
    case 4:
      return `${d.programLabel} ${lowerFirst(phrase)} tại ${location} (${d.countryVi})`;
    case 5:
      return `[${d.countryVi}] ${phrase} ${location} - ${dice.pick(SELLING_POINTS)}`;
    default:
      return `${who} ${lowerFirst(phrase)} ${location} - ${d.countryVi}, thu nhập ~ ${million(salaryVnd)}`;
  }
}

/**
 * Fills the database with `orders` job orders over `agencies` agencies, then runs VACUUM ANALYZE.
 * Needs the migrated schema (reference data and exchange rates included).
 */
export async function generateJobOrders(
  dataSource: DataSource,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const agencyCount = options.agencies ?? 500;
  const batchSize = options.batchSize ?? 10_000;
  const dice = new Dice(options.seed ?? 20250101);
  const now = Date.now();
  let published = 0;
  let indexSeconds = 0;

  const started = process.hrtime.bigint();
  await dataSource.transaction(async (manager: EntityManager) => {
    // One transaction: a failed run leaves nothing half-written (the indexes set aside come back with the
    // rollback), and commit waits for the WAL once.
    await manager.query(`SET LOCAL synchronous_commit = off`);
    let rebuild: (() => Promise<void>) | undefined;
    if (options.reset) {
      await manager.query(`TRUNCATE job_orders, agencies CASCADE`);
      rebuild = await setAsideIndexes(manager);
    }

    const agencyIds = await insertAgencies(manager, dice, agencyCount);

    let inserted = 0;
    let inFlight: Promise<void> = Promise.resolve();
    for (let queued = 0; queued < options.orders; ) {
      const size = Math.min(batchSize, options.orders - queued);
      // Built while PostgreSQL inserts the previous batch: both cores work.
      const batch = orderBatch(dice, size, agencyIds, now);
      const columns = ORDER_COLUMNS.map(([name]) => arrayLiteral(batch.rows[name]));
      queued += size;
      published += batch.published;
      await inFlight;
      inFlight = insertOrders(manager, columns, size).then(() => {
        inserted += size;
        options.onProgress?.(inserted, options.orders);
      });
      // Handled when awaited below; this only keeps a failure in the meantime from counting as unhandled.
      inFlight.catch(() => undefined);
      // Lets the statement go out before the next batch is built.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await inFlight;

    if (rebuild) {
      const indexing = process.hrtime.bigint();
      await rebuild();
      indexSeconds = Number(process.hrtime.bigint() - indexing) / 1e9;
    }
  });
  const insertSeconds = Number(process.hrtime.bigint() - started) / 1e9 - indexSeconds;

  const analyzing = process.hrtime.bigint();
  await dataSource.query(`VACUUM ANALYZE agencies`);
  await dataSource.query(`VACUUM ANALYZE job_orders`);
  const analyzeSeconds = Number(process.hrtime.bigint() - analyzing) / 1e9;

  return {
    agencies: agencyCount,
    orders: options.orders,
    published,
    insertSeconds,
    indexSeconds,
    analyzeSeconds,
  };
}

const DAY_MS = 86_400_000;
const TOTAL_WEIGHT = DESTINATIONS.reduce((sum, d) => sum + d.weight, 0);

/** `size` orders as column arrays, and how many of them are published. */
function orderBatch(
  dice: Dice,
  size: number,
  agencyIds: readonly string[],
  now: number,
): { rows: OrderColumns; published: number } {
  const batch = { rows: emptyColumns(), published: 0 };
  const rows = batch.rows;
  for (let i = 0; i < size; i++) {
    const d = dice.weighted(DESTINATIONS, TOTAL_WEIGHT);
    const industryCode = dice.pick(d.industries);
    const industry = INDUSTRIES[industryCode];
    const phrase = dice.pick(industry.phrases);
    const location = dice.pick(PLACES[d.country]);
    const roll = dice.float();
    const gender = roll < industry.male ? 'male' : roll < industry.male + industry.female ? 'female' : 'any';
    const openings = dice.float() < 0.7 ? dice.int(2, 20) : dice.int(21, 80);
    const youngest = dice.int(d.youngest[0], d.youngest[1]);
    const oldest = youngest - dice.int(d.span[0], d.span[1]);
    const salary = dice.amount(d.salary, d.step);
    const months = dice.pick(d.contractMonths);
    const costs = [d.serviceFee, d.training, d.deposit, d.airfare, d.other].map((range) =>
      dice.amount(range, 500_000),
    );
    const salaryVnd = salaryVndGuess(d.currency, salary);
    const text = title(dice, d, { phrase, location, openings, gender, salaryVnd });

    // ~90% published, the rest drafts or closed; publish dates spread over the last year.
    const state = dice.float();
    const publication = state < 0.9 ? 'published' : state < 0.95 ? 'closed' : 'draft';
    const approved = publication !== 'draft' && dice.float() < 0.85;
    const registration =
      publication === 'draft'
        ? dice.pick(['draft', 'submitted'])
        : approved
          ? 'approved'
          : 'source_preparation';
    const publishedAt = publication === 'draft' ? null : now - dice.float() * 365 * DAY_MS;
    if (publication === 'published') batch.published++;

    rows.agency_id.push(agencyIds[Math.floor(agencyIds.length * dice.float() ** 1.6)]);
    rows.title.push(text.slice(0, 200));
    rows.occupation.push(dice.pick(industry.occupations));
    rows.description.push(
      `${dice.pick(industry.occupations)} tại ${location}, ${d.countryVi}. Làm việc 8 tiếng/ngày, ` +
        `tăng ca theo nhu cầu xưởng. Hợp đồng ${months} tháng, có thể gia hạn. ` +
        `Chủ sử dụng hỗ trợ ký túc xá, bảo hiểm theo luật nước sở tại.`,
    );
    rows.requirements.push(
      `Sinh năm ${oldest}-${youngest}. Sức khỏe tốt, không mắc bệnh truyền nhiễm, không hình xăm. ` +
        `Tốt nghiệp THCS trở lên. ${dice.float() < 0.5 ? 'Ưu tiên có kinh nghiệm.' : 'Không cần kinh nghiệm.'}`,
    );
    rows.country_code.push(d.country);
    rows.work_location.push(location);
    rows.industry_code.push(industryCode);
    rows.program_code.push(d.program);
    rows.openings.push(openings);
    rows.gender.push(gender);
    rows.birth_year_from.push(oldest);
    rows.birth_year_to.push(youngest);
    rows.salary_amount.push(salary);
    rows.salary_currency.push(d.currency);
    rows.contract_months.push(months);
    COSTS.forEach((name, k) => rows[name].push(costs[k]));
    rows.expected_departure_months.push(dice.int(2, 8));
    rows.registration_status.push(registration);
    rows.registration_number.push(approved ? `${dice.int(100, 9999)}/QLLĐNN-ĐK` : null);
    rows.registration_approved_on.push(
      approved && publishedAt !== null
        ? new Date(publishedAt - dice.int(3, 30) * DAY_MS).toISOString().slice(0, 10)
        : null,
    );
    rows.approved_headcount.push(approved ? openings + dice.int(0, 10) : null);
    rows.publication_status.push(publication);
    rows.published_at.push(publishedAt === null ? null : new Date(publishedAt).toISOString());
    rows.views.push(Math.floor(Math.exp(dice.float() * Math.log(20_000))) - 1);
  }
  return batch;
}

/** One column's values as a PostgreSQL array literal. */
function arrayLiteral(values: readonly (string | number | null)[]): string {
  const elements = values.map((value) =>
    value === null
      ? 'NULL'
      : typeof value === 'number'
        ? String(value)
        : `"${/["\\]/.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`,
  );
  return `{${elements.join(',')}}`;
}

/**
 * Inserts one batch given as array literals, one per column of ORDER_COLUMNS: node-postgres encodes a
 * JavaScript array in the call that sends the statement, which left PostgreSQL idle for about as long as the
 * insert itself; the literals are made with the batch, while the previous one is being inserted.
 */
async function insertOrders(manager: EntityManager, columns: string[], size: number): Promise<void> {
  const [{ count }]: { count: number }[] = await manager.query(
    `WITH inserted AS (${INSERT_ORDERS} RETURNING 1) SELECT count(*)::int AS count FROM inserted`,
    columns,
  );
  if (count !== size) throw new Error('an order used a currency missing from exchange_rates');
}

/**
 * Drops job_orders' secondary indexes (those no constraint owns) and its foreign keys, and returns what puts
 * them back exactly as they were (`pg_get_indexdef`, `pg_get_constraintdef`, same names). Building the GIN
 * trigram index once over a million rows takes seconds; keeping it up to date row by row took most of the
 * load, and each foreign key cost a lookup per row that re-adding it does in one join.
 */
async function setAsideIndexes(manager: EntityManager): Promise<() => Promise<void>> {
  const indexes: { name: string; definition: string }[] = await manager.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = 'job_orders'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
  const foreignKeys: { name: string; definition: string }[] = await manager.query(
    `SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE conrelid = 'job_orders'::regclass AND contype = 'f'`,
  );
  for (const { name } of indexes) await manager.query(`DROP INDEX ${name}`);
  for (const { name } of foreignKeys) await manager.query(`ALTER TABLE job_orders DROP CONSTRAINT ${name}`);
  return async () => {
    await manager.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    for (const { definition } of indexes) await manager.query(definition);
    for (const { name, definition } of foreignKeys) {
      await manager.query(`ALTER TABLE job_orders ADD CONSTRAINT ${name} ${definition}`);
    }
  };
}

/** Only used to write "thu nhập ~ 35 triệu" in a title; the stored estimate comes from exchange_rates. */
function salaryVndGuess(currency: string, amount: number): number {
  const rates: Record<string, number> = {
    JPY: 170,
    TWD: 800,
    KRW: 18.5,
    HUF: 75,
    PLN: 7000,
    RON: 5800,
    EUR: 29500,
    RUB: 320,
  };
  return amount * (rates[currency] ?? 0);
}

async function insertAgencies(manager: EntityManager, dice: Dice, count: number): Promise<string[]> {
  const names = new Set<string>();
  const rows = {
    name: [] as string[],
    license_number: [] as string[],
    license_issued_on: [] as string[],
    license_status: [] as string[],
    enterprise_code: [] as string[],
    province_code: [] as string[],
    address: [] as string[],
    hotline: [] as string[],
    website: [] as (string | null)[],
    founded_year: [] as number[],
  };
  // Exactly round(3%) suspended, spread over the list.
  const suspended = new Set<number>();
  while (suspended.size < Math.round(count * 0.03)) suspended.add(dice.int(0, count - 1));

  for (let i = 0; i < count; i++) {
    let name: string;
    do {
      name = `${dice.pick(AGENCY_NAMES.forms)} ${dice.pick(AGENCY_NAMES.trades)} ${dice.pick(AGENCY_NAMES.brands)}`;
      if (names.has(name)) name += ` ${dice.pick(['Việt Nam', 'Quốc tế', 'Group', 'JSC'])}`;
    } while (names.has(name));
    names.add(name);
    const [province, provinceName, areaCode] = dice.pick(AGENCY_PROVINCES);
    const founded = dice.int(1995, 2020);
    rows.name.push(name);
    rows.license_number.push(`${i + 1}/LĐTBXH-GP`);
    rows.license_issued_on.push(
      `${Math.max(founded, 2008) + dice.int(0, 4)}-0${dice.int(1, 9)}-1${dice.int(0, 9)}`,
    );
    rows.license_status.push(suspended.has(i) ? 'suspended' : 'active');
    rows.enterprise_code.push(String(100_000_000 + i * 7919).padStart(10, '0'));
    rows.province_code.push(province);
    rows.address.push(`Số ${dice.int(1, 300)} đường ${dice.pick(AGENCY_NAMES.brands)}, ${provinceName}`);
    rows.hotline.push(`${areaCode}${String(dice.int(0, 99_999_999)).padStart(11 - areaCode.length, '0')}`);
    rows.website.push(dice.float() < 0.6 ? `https://xkld-${i + 1}.example.vn` : null);
    rows.founded_year.push(founded);
  }
  const created: { id: string }[] = await manager.query(
    `INSERT INTO agencies (name, license_number, license_issued_on, license_status, enterprise_code, province_code,
       address, hotline, website, founded_year)
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::license_status[], $5::text[], $6::text[],
       $7::text[], $8::text[], $9::text[], $10::smallint[])
     RETURNING id`,
    Object.values(rows),
  );
  return created.map((row) => row.id);
}
