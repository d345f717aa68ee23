import { parse } from 'csv-parse/sync';
import fc from 'fast-check';

import {
  Cell,
  CSV_BOM,
  csvCell,
  csvLines,
  csvStart,
  EncodedField,
  JSON_END,
  JSON_START,
  jsonKeys,
  jsonLines,
} from './encoders';

const FIELDS: EncodedField[] = [
  { name: 'title', kind: 'text' },
  { name: 'code', kind: 'code' },
  { name: 'count', kind: 'integer' },
  { name: 'amount', kind: 'decimal' },
];

const csvFile = (rows: Cell[][]) => csvStart(FIELDS) + csvLines(FIELDS, rows);
/** As the exports write it: `first` while no row has been written yet. */
const jsonFile = (batches: Cell[][][]) => {
  let written = 0;
  let out = JSON_START;
  for (const rows of batches) {
    out += jsonLines(FIELDS, jsonKeys(FIELDS), rows, written === 0);
    written += rows.length;
  }
  return out + JSON_END;
};

describe('CSV', () => {
  it('starts with a byte-order mark and the header, and ends every line with CRLF', () => {
    expect(csvFile([['Tuyển thợ hàn', 'JP', 3, '180000.00']])).toBe(
      `${CSV_BOM}title,code,count,amount\r\nTuyển thợ hàn,JP,3,180000.00\r\n`,
    );
  });

  it('quotes a field holding a comma, a quote, CR or LF, doubling its quotes (RFC 4180)', () => {
    expect(csvCell('a,b', 'text')).toBe('"a,b"');
    expect(csvCell('nói "không"', 'text')).toBe('"nói ""không"""');
    expect(csvCell('dòng 1\ndòng 2', 'text')).toBe('"dòng 1\ndòng 2"');
    expect(csvCell('a\rb', 'text')).toBe('"a\rb"');
    expect(csvCell('', 'text')).toBe('');
    expect(csvCell(null, 'text')).toBe('');
    expect(csvCell(0, 'integer')).toBe('0');
  });

  it('defuses a text cell a spreadsheet would run as a formula, and only text cells', () => {
    expect(csvCell('=1+1', 'text')).toBe("'=1+1");
    expect(csvCell('+84 912', 'text')).toBe("'+84 912");
    expect(csvCell('-50% phí', 'text')).toBe("'-50% phí");
    expect(csvCell('@SUM(A1)', 'text')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1', 'text')).toBe("'\t=1");
    expect(csvCell('=HYPERLINK("x","y")', 'text')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvCell('a=b', 'text')).toBe('a=b');
    expect(csvCell('-1.50', 'decimal')).toBe('-1.50');
    expect(csvCell(-3, 'integer')).toBe('-3');
  });

  it('reads back, through a real CSV parser, as exactly what was written (formulas defused)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, fc.integer(), fc.constantFrom('0.00', '180000.50')), { maxLength: 8 }),
        (rows) => {
          const parsed: string[][] = parse(csvFile(rows), { bom: true, record_delimiter: '\r\n' });
          expect(parsed[0]).toEqual(FIELDS.map((field) => field.name));
          expect(parsed.slice(1)).toEqual(
            rows.map(([title, code, count, amount]) => [
              /^[=+\-@\t\r]/.test(title) ? `'${title}` : title,
              code,
              String(count),
              amount,
            ]),
          );
        },
      ),
    );
  });
});

describe('JSON', () => {
  it('is one array of objects, whatever the batches, that JSON.parse reads', () => {
    expect(JSON.parse(jsonFile([]))).toEqual([]);
    const parsed = JSON.parse(
      jsonFile([
        [['=1+1', 'JP', 3, '180000.50']],
        [],
        [
          ['"a"\n,b', null, 0, null],
          ['x', 'y', -1, '-2.25'],
        ],
      ]),
    );
    expect(parsed).toEqual([
      { title: '=1+1', code: 'JP', count: 3, amount: 180000.5 },
      { title: '"a"\n,b', code: null, count: 0, amount: null },
      { title: 'x', code: 'y', count: -1, amount: -2.25 },
    ]);
  });

  it('never writes an invalid token: a decimal that is not a number becomes a string', () => {
    expect(JSON.parse(jsonFile([[['t', 'c', Number.NaN, '1e5; DROP']]]))).toEqual([
      { title: 't', code: 'c', count: null, amount: '1e5; DROP' },
    ]);
  });
});
