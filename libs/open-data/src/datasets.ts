import { AGENCY_LICENSE_CHANGED, DEPARTURES_CHANGED, OpenAgencyRow, OpenDepartureRow } from '@app/agencies';
import type { CacheEvent } from '@app/core';
import { LISTINGS_CHANGED, OpenJobOrderRow } from '@app/job-orders';

import dictionary from './datasets.json';
import { Cell, FIELD_KINDS, FieldKind } from './encoders';

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

/** A kind the encoders do not know would write its cells unguarded: refuse to start. */
function fieldKind(kind: string, where: string): FieldKind {
  if (!(FIELD_KINDS as readonly string[]).includes(kind))
    throw new Error(`Unknown field kind in datasets.json: ${where} is "${kind}"`);
  return kind as FieldKind;
}

/** A dataset's titles and data dictionary, from datasets.json. */
function dictionaryOf(name: DatasetName): Pick<DatasetSpec<unknown>, 'title' | 'description' | 'fields'> {
  const { title, description, fields } = dictionary[name];
  return {
    title,
    description,
    fields: fields.map((field) => ({ ...field, kind: fieldKind(field.kind, `${name}.${field.name}`) })),
  };
}

const name = (names: ReadonlyMap<string, string>, code: string | null) =>
  code === null ? null : (names.get(code) ?? null);

const agencies: DatasetSpec<OpenAgencyRow> = {
  name: 'agencies',
  ...dictionaryOf('agencies'),
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
  ...dictionaryOf('departures'),
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
  ...dictionaryOf('job-orders'),
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
