/**
 * How a dataset's rows become bytes: CSV (RFC 4180) and JSON, a batch at a time, so that an export of any
 * size is written as it is read.
 *
 * CSV choices, for the people who open these files in Excel (most of them, in Vietnam):
 * - UTF-8 with a byte-order mark: without it, Excel on Windows reads the file in the ANSI code page
 *   (Windows-1258) and mangles every Vietnamese letter. R, pandas, Python's csv ("utf-8-sig") and
 *   LibreOffice skip the mark.
 * - Comma-separated, CRLF line ends, a header line; a field is quoted when it holds a comma, a quote, CR or
 *   LF, and its quotes are doubled.
 * - Formula injection: a text cell that begins with `=`, `+`, `-`, `@`, a tab or CR would be run as a
 *   formula by a spreadsheet (titles are typed by agencies). Such a cell gets a leading apostrophe, which
 *   spreadsheets show as text and do not display; numbers, dates and codes are never prefixed. The JSON
 *   carries every value unchanged.
 *
 * JSON is one array of objects (so `JSON.parse` reads a whole file), one object per line, with the same
 * field names as the CSV header; numbers are JSON numbers and missing values `null`.
 */

export const FIELD_KINDS = ['text', 'code', 'integer', 'decimal', 'date', 'month', 'date-time'] as const;
/** What a field holds; `text` is free text from people, the only kind that is guarded against formulas. */
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface EncodedField {
  name: string;
  kind: FieldKind;
}

/** One value: strings for text, codes, dates and decimals (as PostgreSQL writes them), numbers for integers. */
export type Cell = string | number | null;

export const CSV_BOM = '\uFEFF';
const CSV_NEEDS_QUOTES = /[",\r\n]/;
const CSV_QUOTES = /"/g;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field. */
export function csvCell(value: Cell, kind: FieldKind): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = kind === 'text' && FORMULA_START.test(value) ? `'${value}` : value;
  return CSV_NEEDS_QUOTES.test(text) ? `"${text.replace(CSV_QUOTES, '""')}"` : text;
}

/** The byte-order mark and the header line. */
export function csvStart(fields: readonly EncodedField[]): string {
  return `${CSV_BOM}${fields.map((field) => csvCell(field.name, 'code')).join(',')}\r\n`;
}

/** Rows as CSV lines, each ended by CRLF. */
export function csvLines(fields: readonly EncodedField[], rows: readonly Cell[][]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) out += ',';
      out += csvCell(row[i], fields[i].kind);
    }
    out += '\r\n';
  }
  return out;
}

export const JSON_START = '[';
export const JSON_END = '\n]\n';

/** `"name":` for each field, built once per dataset. */
export function jsonKeys(fields: readonly EncodedField[]): string[] {
  return fields.map((field) => `${JSON.stringify(field.name)}:`);
}

function jsonValue(value: Cell, kind: FieldKind): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  // PostgreSQL writes a numeric as a JSON number would be written; anything else would not be one.
  if (kind === 'decimal' && /^-?\d+(\.\d+)?$/.test(value)) return value;
  return JSON.stringify(value);
}

/**
 * Rows as the array's elements, one a line; `first` says whether these are the array's first ones (the
 * others are preceded by a comma).
 */
export function jsonLines(
  fields: readonly EncodedField[],
  keys: readonly string[],
  rows: readonly Cell[][],
  first: boolean,
): string {
  let out = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    out += first && r === 0 ? '\n{' : ',\n{';
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) out += ',';
      out += keys[i] + jsonValue(row[i], fields[i].kind);
    }
    out += '}';
  }
  return out;
}
