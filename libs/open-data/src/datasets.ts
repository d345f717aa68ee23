import { AGENCY_LICENSE_CHANGED, DEPARTURES_CHANGED, OpenAgencyRow, OpenDepartureRow } from '@app/agencies';
import type { CacheEvent } from '@app/core';
import { LISTINGS_CHANGED, OpenJobOrderRow } from '@app/job-orders';

import { Cell, FieldKind } from './encoders';

export const DATASET_NAMES = ['agencies', 'departures', 'job-orders'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const FORMATS = ['csv', 'json'] as const;
export type OpenDataFormat = (typeof FORMATS)[number];

export const MEDIA_TYPES: Record<OpenDataFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
};

export interface Texts {
  vi: string;
  en: string;
}

/** One column of the CSV, one member of each JSON object: the data dictionary's entry. */
export interface FieldSpec {
  name: string;
  kind: FieldKind;
  nullable: boolean;
  description: Texts;
}

/** Reference names by code, Vietnamese first, for the columns that name what a code stands for. */
export interface ReferenceNames {
  provinces: ReadonlyMap<string, string>;
  countries: ReadonlyMap<string, string>;
  industries: ReadonlyMap<string, string>;
  programs: ReadonlyMap<string, string>;
}

export interface DatasetSpec<R> {
  name: DatasetName;
  title: Texts;
  description: Texts;
  fields: readonly FieldSpec[];
  /** The events whose announcements change the dataset: its version, hence its ETag, follows them. */
  changedBy: readonly CacheEvent<unknown>[];
  /** A row's cells, in the order of `fields`. */
  cells(row: R, names: ReferenceNames): Cell[];
}

/**
 * Bumped whenever a dataset's fields or encoding change, so that no ETag given before names a file of
 * another shape.
 */
export const SCHEMA_VERSION = 1;

export const LICENSE = {
  id: 'CC-BY-4.0',
  name: 'Creative Commons Attribution 4.0 International',
  url: 'https://creativecommons.org/licenses/by/4.0/',
} as const;

export const ATTRIBUTION: Texts = {
  vi: 'Nguồn: Việc làm ngoài nước (xkld), dữ liệu mở theo giấy phép CC BY 4.0',
  en: 'Source: xkld (Work abroad) open data, licensed under CC BY 4.0',
};

const field = (name: string, kind: FieldKind, vi: string, en: string, nullable = false): FieldSpec => ({
  name,
  kind,
  nullable,
  description: { vi, en },
});

const name = (names: ReadonlyMap<string, string>, code: string | null) =>
  code === null ? null : (names.get(code) ?? null);

const agencies: DatasetSpec<OpenAgencyRow> = {
  name: 'agencies',
  title: { vi: 'Doanh nghiệp được cấp phép', en: 'Licensed agencies' },
  description: {
    vi:
      'Doanh nghiệp dịch vụ đưa người lao động đi làm việc ở nước ngoài đã được cơ quan quản lý xác minh giấy ' +
      'phép, với tình trạng giấy phép hiện tại (kể cả bị đình chỉ, thu hồi). Không có người liên hệ, số điện ' +
      'thoại hay địa chỉ.',
    en:
      'Agencies licensed to send workers abroad whose licence the regulator has verified, with the licence ' +
      'status today (suspended and revoked ones included). No contact people, phones or addresses.',
  },
  fields: [
    field('license_number', 'code', 'Số giấy phép', 'Licence number'),
    field('name', 'text', 'Tên doanh nghiệp', "Agency's name"),
    field('province_code', 'code', 'Mã tỉnh/thành nơi đặt trụ sở', 'Province code of the head office', true),
    field('province_name', 'text', 'Tên tỉnh/thành nơi đặt trụ sở', 'Province of the head office', true),
    field(
      'license_status',
      'code',
      'Tình trạng giấy phép: active (còn hiệu lực), suspended (bị đình chỉ), revoked (bị thu hồi), expired (hết hạn), surrendered (nộp lại)',
      'Licence status: active, suspended, revoked, expired, surrendered',
    ),
    field(
      'license_status_since',
      'date-time',
      'Thời điểm tình trạng giấy phép hiện tại có hiệu lực (UTC, ISO 8601); trống nếu không được ghi nhận',
      'When the current licence status took effect (UTC, ISO 8601); empty when not recorded',
      true,
    ),
    field('license_issued_on', 'date', 'Ngày cấp giấy phép', 'Date the licence was issued', true),
  ],
  changedBy: [AGENCY_LICENSE_CHANGED],
  cells: (row, names) => [
    row.licenseNumber,
    row.name,
    row.provinceCode,
    name(names.provinces, row.provinceCode),
    row.licenseStatus,
    row.licenseStatusSince,
    row.licenseIssuedOn,
  ],
};

const departures: DatasetSpec<OpenDepartureRow> = {
  name: 'departures',
  title: { vi: 'Lao động xuất cảnh theo tháng', en: 'Monthly departures' },
  description: {
    vi:
      'Số người lao động xuất cảnh mỗi tháng theo nước đến, trong đó lao động nữ: tổng các báo cáo hằng tháng ' +
      'của doanh nghiệp đã được xác minh giấy phép (như trang Thống kê).',
    en:
      'Workers who departed each month by destination, of whom women: the sum of the monthly reports of ' +
      'agencies whose licence has been verified (as on the Statistics page).',
  },
  fields: [
    field('month', 'month', 'Tháng xuất cảnh (YYYY-MM)', 'Month of departure (YYYY-MM)'),
    field('country_code', 'code', 'Mã nước đến (ISO 3166-1 alpha-2)', 'Destination (ISO 3166-1 alpha-2)'),
    field('country_name', 'text', 'Tên nước đến', 'Destination name (Vietnamese)'),
    field('total', 'integer', 'Số lao động xuất cảnh', 'Workers who departed'),
    field('women', 'integer', 'Trong đó lao động nữ', 'Of whom women'),
  ],
  changedBy: [DEPARTURES_CHANGED, AGENCY_LICENSE_CHANGED],
  cells: (row, names) => [
    row.month,
    row.countryCode,
    name(names.countries, row.countryCode),
    row.total,
    row.women,
  ],
};

const jobOrders: DatasetSpec<OpenJobOrderRow> = {
  name: 'job-orders',
  title: { vi: 'Đơn hàng đang tuyển', en: 'Published job orders' },
  description: {
    vi:
      'Mọi đơn hàng đang đăng tuyển của doanh nghiệp có giấy phép còn hiệu lực (đúng những gì trang tìm kiếm ' +
      'hiển thị): điều kiện, lương, chi phí người lao động phải trả, tình trạng đăng ký với Cục. Không có dữ ' +
      'liệu cá nhân, không có mô tả tự do, không có lượt xem.',
    en:
      'Every published order of an agency whose licence is active (exactly what the listing shows): terms, ' +
      'salary, what the worker pays, registration with the Department. No personal data, no free-text ' +
      'descriptions, no view counts.',
  },
  fields: [
    field(
      'id',
      'code',
      'Mã đơn hàng (UUID), như trong đường dẫn /don-hang/{id}',
      'Order id (UUID), as in /don-hang/{id}',
    ),
    field('title', 'text', 'Tiêu đề', 'Title'),
    field('occupation', 'text', 'Nghề', 'Occupation'),
    field('country_code', 'code', 'Mã nước đến (ISO 3166-1 alpha-2)', 'Destination (ISO 3166-1 alpha-2)'),
    field('country_name', 'text', 'Tên nước đến', 'Destination name (Vietnamese)'),
    field('work_location', 'text', 'Nơi làm việc', 'Place of work'),
    field('industry_code', 'code', 'Mã ngành nghề', 'Industry code'),
    field('industry_name', 'text', 'Ngành nghề', 'Industry (Vietnamese)'),
    field('program_code', 'code', 'Mã chương trình', 'Programme code'),
    field('program_name', 'text', 'Chương trình', 'Programme (Vietnamese)'),
    field('openings', 'integer', 'Số lượng tuyển', 'Openings'),
    field(
      'gender',
      'code',
      'Giới tính tuyển: male (nam), female (nữ), any (không yêu cầu)',
      'Gender: male, female, any',
    ),
    field('birth_year_from', 'integer', 'Năm sinh từ', 'Born from (year)'),
    field('birth_year_to', 'integer', 'Năm sinh đến', 'Born up to (year)'),
    field(
      'salary_amount',
      'decimal',
      'Lương cơ bản mỗi tháng, theo đơn vị tiền của nước đến',
      'Base monthly salary, in its currency',
    ),
    field('salary_currency', 'code', 'Đơn vị tiền của lương (ISO 4217)', 'Salary currency (ISO 4217)'),
    field(
      'salary_vnd_estimate',
      'integer',
      'Lương quy đổi ra VNĐ theo tỷ giá đang áp dụng (ước tính)',
      'Salary in VND at the exchange rate in force (estimate)',
    ),
    field('contract_months', 'integer', 'Thời hạn hợp đồng (tháng)', 'Contract length (months)'),
    field('service_fee_vnd', 'integer', 'Tiền dịch vụ (VNĐ)', 'Service fee (VND)'),
    field('training_fee_vnd', 'integer', 'Chi phí đào tạo (VNĐ)', 'Training (VND)'),
    field('deposit_vnd', 'integer', 'Tiền ký quỹ (VNĐ)', 'Deposit (VND)'),
    field('airfare_vnd', 'integer', 'Vé máy bay (VNĐ)', 'Airfare (VND)'),
    field('brokerage_fee_vnd', 'integer', 'Tiền môi giới (VNĐ)', 'Brokerage (VND)'),
    field('other_cost_vnd', 'integer', 'Chi phí khác (VNĐ)', 'Other costs (VND)'),
    field(
      'total_cost_vnd',
      'integer',
      'Tổng chi phí người lao động trả (VNĐ)',
      'Total the worker pays (VND)',
    ),
    field(
      'registration_status',
      'code',
      'Tình trạng đăng ký hợp đồng với Cục: approved (đã duyệt), source_preparation (được chuẩn bị nguồn), submitted (đang trình)',
      'Registration with the Department: approved, source_preparation, submitted',
    ),
    field(
      'registration_number',
      'text',
      'Số văn bản chấp thuận đăng ký',
      'Registration reference number',
      true,
    ),
    field(
      'registration_approved_on',
      'date',
      'Ngày chấp thuận đăng ký',
      'Date the registration was approved',
      true,
    ),
    field('approved_headcount', 'integer', 'Số lao động được chấp thuận', 'Approved headcount', true),
    field(
      'agency_license_number',
      'code',
      'Số giấy phép của doanh nghiệp đăng đơn',
      "Agency's licence number",
    ),
    field('agency_name', 'text', 'Tên doanh nghiệp đăng đơn', "Agency's name"),
    field(
      'published_at',
      'date-time',
      'Thời điểm đăng (UTC, ISO 8601)',
      'When it was published (UTC, ISO 8601)',
    ),
  ],
  changedBy: [LISTINGS_CHANGED, AGENCY_LICENSE_CHANGED],
  cells: (row, names) => [
    row.id,
    row.title,
    row.occupation,
    row.countryCode,
    name(names.countries, row.countryCode),
    row.workLocation,
    row.industryCode,
    name(names.industries, row.industryCode),
    row.programCode,
    name(names.programs, row.programCode),
    row.openings,
    row.gender,
    row.birthYearFrom,
    row.birthYearTo,
    row.salaryAmount,
    row.salaryCurrency,
    row.salaryVndEstimate,
    row.contractMonths,
    row.serviceFeeVnd,
    row.trainingFeeVnd,
    row.depositVnd,
    row.airfareVnd,
    row.brokerageFeeVnd,
    row.otherCostVnd,
    row.totalCostVnd,
    row.registrationStatus,
    row.registrationNumber,
    row.registrationApprovedOn,
    row.approvedHeadcount,
    row.agencyLicenseNumber,
    row.agencyName,
    row.publishedAt,
  ],
};

/** Every dataset, by name; a row type of its own each, hence `unknown` here. */
export const DATASETS: Readonly<Record<DatasetName, DatasetSpec<unknown>>> = {
  agencies,
  departures,
  'job-orders': jobOrders,
};
