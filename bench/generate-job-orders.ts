/**
 * Synthetic marketplace data for the job-order benchmark: agencies and job orders whose titles, places,
 * programmes, salaries and costs look like the real Vietnamese labour-export listings, so the trigram search
 * and the filters see realistic selectivity. Deterministic for a given seed.
 *
 * Rows are generated in JavaScript and written with one `INSERT ... SELECT FROM unnest(...)` per batch; the
 * triggers fill search_text, and salary_vnd_estimate comes from the exchange_rates table like the seed does.
 */
import { DataSource, EntityManager } from 'typeorm';

export interface GenerateOptions {
  /** Job orders to create. */
  orders: number;
  /** Agencies to create; about 3% of them are suspended. */
  agencies?: number;
  /** Seed of the pseudo-random generator: the same seed gives the same data. */
  seed?: number;
  /** Rows per INSERT statement. */
  batchSize?: number;
  /** Empties agencies and job_orders first (TRUNCATE ... CASCADE: everything referencing them goes too). */
  reset?: boolean;
  onProgress?: (inserted: number, total: number) => void;
}

export interface GenerateResult {
  agencies: number;
  orders: number;
  published: number;
  /** Seconds spent inserting (triggers and index maintenance included). */
  insertSeconds: number;
  /** Seconds spent in VACUUM ANALYZE. */
  analyzeSeconds: number;
}

type Range = readonly [number, number];

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
  locations: readonly string[];
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

const JP_LOCATIONS = [
  'Gunma',
  'Aichi',
  'Osaka',
  'Saitama',
  'Chiba',
  'Ibaraki',
  'Hokkaido',
  'Fukuoka',
  'Hiroshima',
  'Shizuoka',
  'Tokyo',
  'Kanagawa',
  'Gifu',
  'Mie',
  'Kumamoto',
  'Okayama',
  'Hyogo',
  'Nagano',
  'Tochigi',
  'Miyagi',
];
const TW_LOCATIONS = [
  'Đài Bắc',
  'Tân Bắc',
  'Đào Viên',
  'Đài Trung',
  'Đài Nam',
  'Cao Hùng',
  'Chương Hóa',
  'Tân Trúc',
  'Vân Lâm',
  'Bình Đông',
  'Miêu Lật',
];
const KR_LOCATIONS = ['Gyeonggi', 'Incheon', 'Busan', 'Ulsan', 'Changwon', 'Daegu', 'Gwangju', 'Chungcheong'];

const DESTINATIONS: readonly Destination[] = [
  {
    country: 'JP',
    countryVi: 'Nhật Bản',
    program: 'jp_technical_intern',
    programLabel: 'Thực tập sinh',
    currency: 'JPY',
    salary: [165_000, 215_000],
    step: 1000,
    contractMonths: [36, 36, 36, 12],
    locations: JP_LOCATIONS,
    industries: [
      'food_processing',
      'food_processing',
      'seafood_processing',
      'mechanical_cnc',
      'construction',
      'agriculture',
      'electronics',
      'garment',
      'manufacturing',
      'packaging',
    ],
    serviceFee: [25_000_000, 60_000_000],
    training: [6_000_000, 15_000_000],
    deposit: [0, 0],
    airfare: [0, 12_000_000],
    other: [0, 5_000_000],
    youngest: [2003, 2007],
    span: [10, 16],
    weight: 34,
  },
  {
    country: 'JP',
    countryVi: 'Nhật Bản',
    program: 'jp_specified_skilled',
    programLabel: 'Kỹ năng đặc định',
    currency: 'JPY',
    salary: [190_000, 260_000],
    step: 1000,
    contractMonths: [12, 36, 60],
    locations: JP_LOCATIONS,
    industries: [
      'food_processing',
      'caregiving',
      'construction',
      'agriculture',
      'manufacturing',
      'hospitality',
    ],
    serviceFee: [0, 40_000_000],
    training: [5_000_000, 12_000_000],
    deposit: [0, 0],
    airfare: [0, 12_000_000],
    other: [0, 4_000_000],
    youngest: [2002, 2006],
    span: [12, 20],
    weight: 10,
  },
  {
    country: 'JP',
    countryVi: 'Nhật Bản',
    program: 'jp_engineer',
    programLabel: 'Kỹ sư',
    currency: 'JPY',
    salary: [220_000, 320_000],
    step: 5000,
    contractMonths: [36, 60],
    locations: JP_LOCATIONS,
    industries: ['mechanical_cnc', 'electronics', 'construction', 'automotive'],
    serviceFee: [30_000_000, 70_000_000],
    training: [5_000_000, 10_000_000],
    deposit: [0, 0],
    airfare: [0, 12_000_000],
    other: [0, 3_000_000],
    youngest: [1999, 2003],
    span: [10, 16],
    weight: 4,
  },
  {
    country: 'TW',
    countryVi: 'Đài Loan',
    program: 'tw_worker',
    programLabel: 'Lao động',
    currency: 'TWD',
    salary: [28_590, 34_000],
    step: 10,
    contractMonths: [36, 36, 24],
    locations: TW_LOCATIONS,
    industries: [
      'electronics',
      'electronics',
      'manufacturing',
      'mechanical_cnc',
      'food_processing',
      'construction',
      'garment',
      'caregiving',
      'packaging',
    ],
    serviceFee: [40_000_000, 110_000_000],
    training: [3_000_000, 8_000_000],
    deposit: [0, 20_000_000],
    airfare: [6_000_000, 9_000_000],
    other: [0, 5_000_000],
    youngest: [2002, 2006],
    span: [14, 24],
    weight: 24,
  },
  {
    country: 'KR',
    countryVi: 'Hàn Quốc',
    program: 'kr_eps',
    programLabel: 'EPS',
    currency: 'KRW',
    salary: [2_096_270, 2_600_000],
    step: 10_000,
    contractMonths: [36, 58],
    locations: KR_LOCATIONS,
    industries: [
      'manufacturing',
      'manufacturing',
      'construction',
      'agriculture',
      'electronics',
      'mechanical_cnc',
    ],
    serviceFee: [0, 0],
    training: [2_000_000, 4_000_000],
    deposit: [0, 0],
    airfare: [8_000_000, 11_000_000],
    other: [500_000, 2_000_000],
    youngest: [2003, 2006],
    span: [15, 20],
    weight: 9,
  },
  {
    country: 'HU',
    countryVi: 'Hungary',
    program: 'eu_work_permit',
    programLabel: 'Visa lao động',
    currency: 'HUF',
    salary: [300_000, 460_000],
    step: 5000,
    contractMonths: [24, 24, 36],
    locations: ['Budapest', 'Győr', 'Debrecen', 'Kecskemét', 'Székesfehérvár'],
    industries: ['manufacturing', 'electronics', 'food_processing', 'construction', 'packaging'],
    serviceFee: [90_000_000, 160_000_000],
    training: [3_000_000, 8_000_000],
    deposit: [0, 0],
    airfare: [15_000_000, 22_000_000],
    other: [2_000_000, 10_000_000],
    youngest: [2001, 2005],
    span: [18, 28],
    weight: 5,
  },
  {
    country: 'PL',
    countryVi: 'Ba Lan',
    program: 'eu_work_permit',
    programLabel: 'Visa lao động',
    currency: 'PLN',
    salary: [4300, 6200],
    step: 50,
    contractMonths: [12, 24],
    locations: ['Warszawa', 'Kraków', 'Wrocław', 'Poznań', 'Łódź', 'Gdańsk'],
    industries: ['manufacturing', 'food_processing', 'construction', 'agriculture', 'packaging', 'garment'],
    serviceFee: [80_000_000, 150_000_000],
    training: [3_000_000, 8_000_000],
    deposit: [0, 0],
    airfare: [15_000_000, 22_000_000],
    other: [2_000_000, 10_000_000],
    youngest: [2001, 2005],
    span: [18, 28],
    weight: 4,
  },
  {
    country: 'RO',
    countryVi: 'Rumani',
    program: 'eu_work_permit',
    programLabel: 'Visa lao động',
    currency: 'RON',
    salary: [3700, 5200],
    step: 50,
    contractMonths: [24],
    locations: ['Bucharest', 'Cluj-Napoca', 'Timișoara', 'Iași', 'Brașov'],
    industries: ['construction', 'manufacturing', 'food_processing', 'garment'],
    serviceFee: [70_000_000, 130_000_000],
    training: [3_000_000, 8_000_000],
    deposit: [0, 0],
    airfare: [15_000_000, 22_000_000],
    other: [2_000_000, 8_000_000],
    youngest: [2001, 2005],
    span: [18, 28],
    weight: 2,
  },
  {
    country: 'LV',
    countryVi: 'Latvia',
    program: 'eu_work_permit',
    programLabel: 'Visa lao động',
    currency: 'EUR',
    salary: [900, 1400],
    step: 10,
    contractMonths: [24, 60],
    locations: ['Riga', 'Daugavpils', 'Liepāja'],
    industries: ['construction', 'manufacturing', 'food_processing', 'seafood_processing'],
    serviceFee: [100_000_000, 170_000_000],
    training: [3_000_000, 8_000_000],
    deposit: [0, 0],
    airfare: [16_000_000, 24_000_000],
    other: [2_000_000, 10_000_000],
    youngest: [2001, 2005],
    span: [18, 28],
    weight: 2,
  },
  {
    country: 'DE',
    countryVi: 'Đức',
    program: 'eu_work_permit',
    programLabel: 'Visa lao động',
    currency: 'EUR',
    salary: [2100, 2900],
    step: 50,
    contractMonths: [24, 36],
    locations: ['Berlin', 'München', 'Hamburg', 'Frankfurt', 'Stuttgart', 'Köln'],
    industries: ['caregiving', 'caregiving', 'hospitality', 'construction', 'mechanical_cnc'],
    serviceFee: [60_000_000, 150_000_000],
    training: [20_000_000, 60_000_000],
    deposit: [0, 0],
    airfare: [16_000_000, 24_000_000],
    other: [2_000_000, 10_000_000],
    youngest: [2002, 2006],
    span: [10, 18],
    weight: 2,
  },
  {
    country: 'RU',
    countryVi: 'Nga',
    program: 'ru_work_permit',
    programLabel: 'Lao động',
    currency: 'RUB',
    salary: [55_000, 95_000],
    step: 1000,
    contractMonths: [12, 24],
    locations: ['Moskva', 'Sankt-Peterburg', 'Kazan', 'Vladivostok', 'Novosibirsk'],
    industries: ['garment', 'seafood_processing', 'construction', 'agriculture', 'food_processing'],
    serviceFee: [30_000_000, 70_000_000],
    training: [2_000_000, 5_000_000],
    deposit: [0, 15_000_000],
    airfare: [12_000_000, 18_000_000],
    other: [0, 5_000_000],
    youngest: [2001, 2005],
    span: [18, 28],
    weight: 4,
  },
];

interface Industry {
  /** Phrases used in titles, capitalised as they appear after "Tuyển 16 Nam". */
  phrases: readonly string[];
  occupations: readonly string[];
  /** Probability that an order is for men only / women only; the rest accept anyone. */
  male: number;
  female: number;
}

const INDUSTRIES: Record<string, Industry> = {
  food_processing: {
    phrases: [
      'Chế biến thực phẩm',
      'Chế biến thức ăn kèm',
      'Làm cơm hộp',
      'Làm bánh mì',
      'Chế biến thịt',
      'Đóng gói thực phẩm',
    ],
    occupations: ['Công nhân chế biến thực phẩm', 'Nhân viên dây chuyền thực phẩm'],
    male: 0.25,
    female: 0.25,
  },
  seafood_processing: {
    phrases: ['Chế biến thủy sản', 'Chế biến hải sản', 'Sơ chế cá'],
    occupations: ['Công nhân chế biến thủy sản'],
    male: 0.2,
    female: 0.35,
  },
  mechanical_cnc: {
    phrases: [
      'Cơ khí CNC',
      'Vận hành máy CNC',
      'Hàn bán tự động',
      'Tiện phay',
      'Dập kim loại',
      'Sơn kim loại',
    ],
    occupations: ['Thợ vận hành máy CNC', 'Thợ hàn', 'Thợ cơ khí'],
    male: 0.75,
    female: 0.02,
  },
  construction: {
    phrases: ['Xây dựng', 'Cốp pha', 'Giàn giáo', 'Cốt thép', 'Nội thất', 'Chống thấm', 'Lái máy xây dựng'],
    occupations: ['Công nhân xây dựng', 'Thợ cốp pha', 'Thợ giàn giáo'],
    male: 0.85,
    female: 0,
  },
  agriculture: {
    phrases: [
      'Nông nghiệp',
      'Trồng rau',
      'Trồng rau nhà kính',
      'Chăn nuôi bò sữa',
      'Chăn nuôi lợn',
      'Hái quả',
    ],
    occupations: ['Lao động nông nghiệp', 'Công nhân trang trại'],
    male: 0.3,
    female: 0.15,
  },
  caregiving: {
    phrases: ['Điều dưỡng', 'Hộ lý', 'Chăm sóc người già', 'Hộ lý viện dưỡng lão'],
    occupations: ['Điều dưỡng viên', 'Hộ lý'],
    male: 0.05,
    female: 0.6,
  },
  electronics: {
    phrases: ['Lắp ráp điện tử', 'Linh kiện điện tử', 'Kiểm tra bo mạch', 'Lắp ráp linh kiện điện tử'],
    occupations: ['Công nhân lắp ráp điện tử', 'Nhân viên kiểm tra chất lượng'],
    male: 0.15,
    female: 0.45,
  },
  garment: {
    phrases: ['May mặc', 'May công nghiệp', 'Cắt may', 'Là ủi quần áo'],
    occupations: ['Công nhân may'],
    male: 0.02,
    female: 0.7,
  },
  manufacturing: {
    phrases: [
      'Công nhân nhà máy',
      'Sản xuất nhựa',
      'Vận hành máy',
      'Lắp ráp linh kiện ô tô',
      'Sản xuất chế tạo',
      'Đúc nhựa',
    ],
    occupations: ['Công nhân sản xuất', 'Công nhân vận hành máy'],
    male: 0.35,
    female: 0.15,
  },
  packaging: {
    phrases: ['Đóng gói', 'Đóng gói công nghiệp', 'In ấn bao bì'],
    occupations: ['Công nhân đóng gói'],
    male: 0.15,
    female: 0.35,
  },
  hospitality: {
    phrases: ['Nhà hàng', 'Khách sạn', 'Phụ bếp', 'Buồng phòng khách sạn'],
    occupations: ['Nhân viên nhà hàng', 'Nhân viên buồng phòng', 'Phụ bếp'],
    male: 0.2,
    female: 0.3,
  },
  automotive: {
    phrases: ['Sửa chữa ô tô', 'Bảo dưỡng ô tô', 'Sơn ô tô'],
    occupations: ['Kỹ thuật viên ô tô'],
    male: 0.8,
    female: 0,
  },
};

const SELLING_POINTS = [
  'Phí thấp',
  'Bay nhanh',
  'Lương cao',
  'Không cần kinh nghiệm',
  'Tăng ca nhiều',
  'Xuất cảnh sau 3 tháng',
  'Hỗ trợ nhà ở',
  'Thi tuyển online',
  'Không yêu cầu tiếng',
  'Đơn hàng hot',
  'Hợp pháp - thu nhập cao',
  'Chủ tốt',
];

const AGENCY_FORMS = ['Công ty Cổ phần', 'Công ty TNHH', 'Công ty TNHH MTV'];
const AGENCY_TRADES = [
  'Nhân lực',
  'Xuất khẩu lao động',
  'Cung ứng Nhân lực',
  'Phát triển Nguồn nhân lực',
  'Hợp tác Quốc tế',
  'Thương mại và Dịch vụ',
  'Đầu tư và Phát triển Nhân lực',
  'Đào tạo và Cung ứng Lao động',
];
const AGENCY_BRANDS = [
  'Hoàng Long',
  'Thành Đạt',
  'Đông Á',
  'Sao Việt',
  'Việt Nhật',
  'Minh Phát',
  'An Phú',
  'Hưng Thịnh',
  'Phú Sĩ',
  'Sakura',
  'Đại Dương',
  'Tâm Việt',
  'Hà Thành',
  'Kinh Bắc',
  'Trường Sơn',
  'Quốc Tế Á Châu',
  'Năm Sao',
  'Thăng Long',
  'Đông Âu',
  'Phương Nam',
  'Bình Minh',
  'Hải Đăng',
  'Việt Hàn',
  'Việt Đài',
  'Tân Thế Kỷ',
  'Nam Việt',
  'Hồng Hà',
  'Lạc Hồng',
  'Toàn Cầu',
  'Đất Việt',
];
const AGENCY_PROVINCES = [
  ['ha-noi', 'Hà Nội', '024'],
  ['ha-noi', 'Hà Nội', '024'],
  ['ha-noi', 'Hà Nội', '024'],
  ['ho-chi-minh', 'TP. Hồ Chí Minh', '028'],
  ['hai-phong', 'Hải Phòng', '0225'],
  ['nghe-an', 'Nghệ An', '0238'],
  ['ha-tinh', 'Hà Tĩnh', '0239'],
  ['thanh-hoa', 'Thanh Hóa', '0237'],
  ['bac-ninh', 'Bắc Ninh', '0222'],
  ['hung-yen', 'Hưng Yên', '0221'],
  ['da-nang', 'Đà Nẵng', '0236'],
  ['phu-tho', 'Phú Thọ', '0210'],
] as const;

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
  const batchSize = options.batchSize ?? 5000;
  const dice = new Dice(options.seed ?? 20250101);
  const totalWeight = DESTINATIONS.reduce((sum, d) => sum + d.weight, 0);
  const now = Date.now();
  const day = 86_400_000;
  let published = 0;

  const started = process.hrtime.bigint();
  await dataSource.transaction(async (manager: EntityManager) => {
    // One transaction: a failed run leaves nothing half-written, and commit waits for the WAL once.
    await manager.query(`SET LOCAL synchronous_commit = off`);
    if (options.reset) await manager.query(`TRUNCATE job_orders, agencies CASCADE`);

    const agencyIds = await insertAgencies(manager, dice, agencyCount);

    for (let done = 0; done < options.orders; ) {
      const size = Math.min(batchSize, options.orders - done);
      const rows = emptyColumns();
      for (let i = 0; i < size; i++) {
        const d = dice.weighted(DESTINATIONS, totalWeight);
        const industryCode = dice.pick(d.industries);
        const industry = INDUSTRIES[industryCode];
        const phrase = dice.pick(industry.phrases);
        const location = dice.pick(d.locations);
        const roll = dice.float();
        const gender =
          roll < industry.male ? 'male' : roll < industry.male + industry.female ? 'female' : 'any';
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
        const publishedAt = publication === 'draft' ? null : now - dice.float() * 365 * day;
        if (publication === 'published') published++;

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
            ? new Date(publishedAt - dice.int(3, 30) * day).toISOString().slice(0, 10)
            : null,
        );
        rows.approved_headcount.push(approved ? openings + dice.int(0, 10) : null);
        rows.publication_status.push(publication);
        rows.published_at.push(publishedAt === null ? null : new Date(publishedAt).toISOString());
        rows.views.push(Math.floor(Math.exp(dice.float() * Math.log(20_000))) - 1);
      }
      const inserted: unknown[] = await manager.query(
        `${INSERT_ORDERS} RETURNING 1`,
        ORDER_COLUMNS.map(([name]) => rows[name]),
      );
      if (inserted.length !== size) throw new Error('an order used a currency missing from exchange_rates');
      done += size;
      options.onProgress?.(done, options.orders);
    }
  });
  const insertSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  const analyzing = process.hrtime.bigint();
  await dataSource.query(`VACUUM ANALYZE agencies`);
  await dataSource.query(`VACUUM ANALYZE job_orders`);
  const analyzeSeconds = Number(process.hrtime.bigint() - analyzing) / 1e9;

  return { agencies: agencyCount, orders: options.orders, published, insertSeconds, analyzeSeconds };
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
      name = `${dice.pick(AGENCY_FORMS)} ${dice.pick(AGENCY_TRADES)} ${dice.pick(AGENCY_BRANDS)}`;
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
    rows.address.push(`Số ${dice.int(1, 300)} đường ${dice.pick(AGENCY_BRANDS)}, ${provinceName}`);
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
