import { defineFieldMessages } from './messages';
import { FieldError } from './problem.exception';

defineFieldMessages({
  hasNoNulCharacter: {
    vi: 'Không được chứa ký tự NUL (\\u0000)',
    en: 'Must not contain a NUL character (\\u0000)',
  },
  isNotNull: {
    vi: 'Không nhận giá trị null: nếu không có giá trị, hãy bỏ trường này',
    en: 'Must not be null: leave the field out instead',
  },
  isWellFormedText: {
    vi: 'Chứa ký tự Unicode không hợp lệ (nửa cặp surrogate đứng một mình)',
    en: 'Contains an invalid Unicode character (a lone surrogate)',
  },
});

export interface NormalizedInput {
  value: unknown;
  /** Fields named as class-validator names them (`price.currency`, `tags.0`). */
  errors: FieldError[];
}

/**
 * A request's body or query as the api reads it, in one pass: every string normalised to NFC; a string with
 * a NUL character refused, as PostgreSQL cannot store one; and, with `refuseNull`, a null refused, since an
 * optional field may be absent but never null. The query's objects, which have no Object prototype, are read
 * too (and copied as plain objects).
 * The depth is bounded before this runs (limitJsonBodies), so the recursion is.
 */
export function normalizeInput(value: unknown, refuseNull: boolean): NormalizedInput {
  const errors: FieldError[] = [];
  return { value: walk(value, '', errors, refuseNull), errors };
}

const NON_ASCII = /[\u0080-\uffff]/;
// JSON can carry half a surrogate pair ("\ud800"): no text, and validator.js's encodeURI throws on it (a 500
// from @IsEmail or @IsUrl), where PostgreSQL would store U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function walk(value: unknown, field: string, errors: FieldError[], refuseNull: boolean): unknown {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) errors.push({ field, constraint: 'hasNoNulCharacter' });
    // ASCII is NFC already, and normalize() costs a call into ICU even then.
    if (!NON_ASCII.test(value)) return value;
    if (LONE_SURROGATE.test(value)) errors.push({ field, constraint: 'isWellFormedText' });
    return value.normalize('NFC');
  }
  if (value === null) {
    if (refuseNull && field) errors.push({ field, constraint: 'isNotNull' });
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => walk(item, child(field, String(i)), errors, refuseNull));
  }
  if (typeof value !== 'object' || !isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = walk(value[key], child(field, key), errors, refuseNull);
    // A "__proto__" key stays a key (and is refused as unknown), never the copy's prototype.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else {
      copy[key] = item;
    }
  }
  return copy;
}

function child(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** A plain object, or one whose prototype chain holds nothing (fast-querystring's objects). */
function isRecord(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}
