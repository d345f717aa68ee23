/**
 * A hand-written yes/no check for the body DTO of a hot route. AppValidationPipe builds the DTO straight
 * from a body the check accepts, and hands anything else to class-validator, which reports the errors as
 * usual. A check may therefore refuse valid bodies (they take the slow path) but must never accept a body
 * the decorators refuse; the decorators stay the contract and the OpenAPI source.
 */
export type FastCheck = (body: Record<string, unknown>) => boolean;

const FAST_CHECK = Symbol('fastValidationCheck');

export function FastValidation(check: FastCheck): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, FAST_CHECK, { value: check });
  };
}

/**
 * The same for the query DTO of a hot route, whose values arrive as strings: a hand-written parse returns
 * the DTO's values for a query it accepts and undefined for anything else, which class-transformer and
 * class-validator then judge as usual. It must never accept a query the decorators refuse, nor produce
 * other values than they would.
 */
export type FastQueryParse = (query: Record<string, unknown>) => Record<string, unknown> | undefined;

const FAST_QUERY = Symbol('fastQueryParse');

export function FastQuery(parse: FastQueryParse): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, FAST_QUERY, { value: parse });
  };
}

/** The DTO's own shortcut: a subclass, which may add fields, never inherits its parent's. */
function ownShortcut<T>(metatype: unknown, key: symbol): T | undefined {
  if (typeof metatype !== 'function') return undefined;
  return Object.getOwnPropertyDescriptor(metatype, key)?.value as T | undefined;
}

export function fastQueryOf(metatype: unknown): FastQueryParse | undefined {
  return ownShortcut(metatype, FAST_QUERY);
}

export function fastCheckOf(metatype: unknown): FastCheck | undefined {
  return ownShortcut(metatype, FAST_CHECK);
}

// Surrogate pairs and variation selectors: class-validator counts them differently from String#length.
const UNEVEN_LENGTH = /[\uD800-\uDFFF]|\uFE0E|\uFE0F/;

/** A string of `min`…`max` characters as class-validator's MinLength/MaxLength count them. */
export function isStringOfLength(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string' || value.length > max) return false;
  return min === 0 || (value.length >= min && !UNEVEN_LENGTH.test(value));
}

/** An integer in `min`…`max`, as IsInt, Min and Max. */
export function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** No key outside `allowed` (the whitelist with forbidNonWhitelisted). */
export function hasOnlyKeys(body: object, allowed: ReadonlySet<string>): boolean {
  for (const key of Object.keys(body)) if (!allowed.has(key)) return false;
  return true;
}
