import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { ProblemException } from '../problem/problem.exception';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CursorKey = (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor whose shape must match `shape` ('s' string, 'n' number); anything else is a 400. */
export function decodeCursor(cursor: string, shape: ('s' | 'n')[]): CursorKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === shape.length &&
      key.every((part, i) => (shape[i] === 's' ? typeof part === 'string' : Number.isFinite(part)))
    ) {
      return key as CursorKey;
    }
  } catch {
    // fall through to the problem below
  }
  throw new ProblemException(400, 'INVALID_CURSOR');
}

// validator.js isUUID 'all' (what @IsUUID() checks) without its nil and max values, so a fast check never
// accepts what the decorator refuses; every id the database generates is a v4 and passes.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Ids are opaque to clients; a malformed one is simply not found, never a database error. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

// PostgreSQL's text form of a timestamptz, as the repositories put it in cursors.
const TIMESTAMP_KEY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:?\d{2})?$/;

/**
 * The position a `(sort key, id)` keyset cursor points after; a cursor of any other shape, or whose key is
 * not a timestamp where one is expected, is a 400 rather than a failed cast in SQL.
 */
export function decodeKeyset(
  cursor: string | undefined,
  key: 'text' | 'timestamp' = 'timestamp',
): { key: string; id: string } | undefined {
  if (!cursor) return undefined;
  const [value, id] = decodeCursor(cursor, ['s', 's']).map(String);
  if (!isUuid(id) || (key === 'timestamp' && !TIMESTAMP_KEY.test(value))) {
    throw new ProblemException(400, 'INVALID_CURSOR');
  }
  return { key: value, id };
}

/** A page from `limit + 1` rows: the extra row only tells that another page exists. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  cursorOf: (row: R) => CursorKey,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null,
  };
}
