import { FieldError, Lang, ProblemException } from '@app/core';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

import { fieldText, problemText, translate } from './i18n';

/** A form's or a query's fields as strings, with empty ones (an untouched filter) left out. */
export function formFields(
  input: unknown,
  drop: readonly string[] = ['lang', '_csrf'],
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof input !== 'object' || input === null) return fields;
  for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
    const value: unknown = Array.isArray(raw) ? (raw as unknown[]).at(-1) : raw;
    if (typeof value !== 'string' || drop.includes(key)) continue;
    const trimmed = value.trim();
    if (trimmed !== '') fields[key] = trimmed;
  }
  return fields;
}

/** Every value of a repeated field (checkboxes), or the comma-separated parts of a single one. */
export function listField(input: unknown, key: string): string[] {
  const raw = (input as Record<string, unknown> | undefined)?.[key];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values
    .filter((value): value is string => typeof value === 'string')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.keys(error.constraints ?? {}).map((constraint) => ({ field, constraint }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Validates a plain object with a DTO's decorators, as the API's validation pipe does. */
export function validateDto<T extends object>(
  Dto: new () => T,
  plain: Record<string, unknown>,
): { dto: T; errors: FieldError[] } {
  const dto = plainToInstance(Dto, plain, { exposeDefaultValues: true });
  const errors = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  return { dto, errors: flatten(errors) };
}

/** A whole number from a form field; NaN (refused by the DTO) when it is not one. */
export function intField(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return /^-?\d{1,12}$/.test(value.replace(/[ .,]/g, '')) ? Number(value.replace(/[ .,]/g, '')) : NaN;
}

/** A decimal number from a form field, accepting a comma as the decimal mark. */
export function decimalField(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const normalized = value.replace(/\s/g, '').replace(',', '.');
  return /^\d{1,12}(\.\d{1,4})?$/.test(normalized) ? Number(normalized) : NaN;
}

export interface FormErrors {
  /** Messages by field name, shown next to each field. */
  fields: Record<string, string[]>;
  /** A message for the whole form. */
  form?: string;
  /** The HTTP status of the refusal. */
  status?: number;
}

/** Field messages (in the page's language) of a list of field errors. */
export function fieldErrors(errors: FieldError[], lang: Lang): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const { field, constraint } of errors) (fields[field] ??= []).push(fieldText(constraint, lang));
  return fields;
}

/**
 * What a form shows for a refusal of the domain: its field errors next to the fields, its code's text on
 * top. Anything else (not found, unexpected) is not the form's to show and is thrown on.
 */
export function formErrorsOf(error: unknown, lang: Lang): FormErrors {
  if (!(error instanceof ProblemException) || error.getStatus() === 404 || error.getStatus() >= 500)
    throw error;
  const fields = fieldErrors(error.fieldErrors ?? [], lang);
  return { fields, form: problemText(error.code, lang), status: error.getStatus() };
}

/**
 * A form post: the fields validated with the DTO, then `act` run with it. A refusal is returned as what the
 * form shows again: invalid fields (400, with the summary on top unless `summary` is false), or the domain's
 * refusal (see formErrorsOf; anything else is thrown on).
 */
export async function submitForm<T extends object, R>(
  lang: Lang,
  Dto: new () => T,
  plain: Record<string, unknown>,
  act: (dto: T) => Promise<R>,
  { summary = true }: { summary?: boolean } = {},
): Promise<{ result: R; failure?: undefined } | { failure: FormErrors }> {
  const { dto, errors } = validateDto(Dto, plain);
  if (errors.length) {
    const form = summary ? { form: translate(lang, 'formErrors') } : {};
    return { failure: { fields: fieldErrors(errors, lang), ...form, status: 400 } };
  }
  try {
    return { result: await act(dto) };
  } catch (error) {
    return { failure: formErrorsOf(error, lang) };
  }
}

/** A console list's query from its filters (those of `keys` that are set), or the first page if they do not validate. */
export function listQuery<T extends object>(
  Dto: new () => T,
  filters: Record<string, string>,
  keys: string[],
  limit = 50,
): T {
  const given = Object.fromEntries(keys.filter((key) => filters[key]).map((key) => [key, filters[key]]));
  const { dto, errors } = validateDto(Dto, { ...given, limit });
  return errors.length ? Object.assign(new Dto(), { limit }) : dto;
}
