import type { OpenAgencyRow, OpenDepartureRow } from '@app/agencies';
import type { OpenJobOrderRow } from '@app/job-orders';

import { DATASET_NAMES, DatasetName, DATASETS, ReferenceNames } from './datasets';

const NAMES: ReferenceNames = {
  provinces: new Map([['nghe-an', 'Nghệ An']]),
  countries: new Map([['JP', 'Nhật Bản']]),
  industries: new Map([['food_processing', 'Chế biến thực phẩm']]),
  programs: new Map([['jp_technical_intern', 'Thực tập sinh kỹ năng']]),
};

const agency: OpenAgencyRow = {
  licenseNumber: '101/LĐTBXH-GP',
  name: 'Công ty Cổ phần Năm Châu IMS',
  provinceCode: 'nghe-an',
  licenseStatus: 'active',
  licenseIssuedOn: '2019-03-04',
  licenseStatusSince: '2024-05-06T07:08:09.000Z',
};

const departure: OpenDepartureRow = { month: '2026-10', countryCode: 'JP', total: 120, women: 45 };

const jobOrder: OpenJobOrderRow = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  title: 'Tuyển 16 Nam Chế biến thực phẩm tại Gunma',
  occupation: 'Chế biến thực phẩm',
  countryCode: 'JP',
  workLocation: 'Gunma',
  industryCode: 'food_processing',
  programCode: 'jp_technical_intern',
  openings: 16,
  gender: 'male',
  birthYearFrom: 1990,
  birthYearTo: 2006,
  salaryAmount: '180000.00',
  salaryCurrency: 'JPY',
  salaryVndEstimate: 30_600_000,
  contractMonths: 36,
  serviceFeeVnd: 91_800_000,
  trainingFeeVnd: 12_000_000,
  depositVnd: 0,
  airfareVnd: 8_000_000,
  brokerageFeeVnd: 0,
  otherCostVnd: 1_500_000,
  totalCostVnd: 113_300_000,
  registrationStatus: 'approved',
  registrationNumber: 'DK-123/QLLĐNN',
  registrationApprovedOn: '2026-11-01',
  approvedHeadcount: 20,
  agencyLicenseNumber: '101/LĐTBXH-GP',
  agencyName: 'Công ty Cổ phần Năm Châu IMS',
  publishedAt: '2026-11-02T03:04:05.123456Z',
};

/** A row of each dataset with every value present and every code named. */
const ROWS: Record<DatasetName, unknown> = {
  agencies: agency,
  departures: departure,
  'job-orders': jobOrder,
};

describe.each(DATASET_NAMES)('the %s dataset', (name) => {
  const spec = DATASETS[name];
  const cells = spec.cells(ROWS[name], NAMES);

  it('has a cell for each field of its data dictionary', () => {
    expect(cells).toHaveLength(spec.fields.length);
  });

  it('puts in each column a value of the kind its data dictionary gives', () => {
    expect(spec.fields.map((field, i) => `${field.name}: ${typeof cells[i]}`)).toEqual(
      spec.fields.map((field) => `${field.name}: ${field.kind === 'integer' ? 'number' : 'string'}`),
    );
  });
});
