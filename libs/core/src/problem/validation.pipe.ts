import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';

import { fastCheckOf, fastQueryOf } from './fast-validation';
import { normalizeInput } from './input-text';
import { FieldError, ProblemException } from './problem.exception';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.keys(error.constraints ?? {}).map((constraint) => ({ field, constraint }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Normalises every string to NFC and refuses NUL characters in the body and the query, and nulls in the
 * body, whatever the DTO; then validates: unknown fields are rejected, never ignored.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ProblemException.validation(flatten(errors)),
    });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { value: normalized, errors } = normalizeInput(value, metadata.type === 'body');
    if (errors.length && (metadata.type === 'body' || metadata.type === 'query')) {
      throw ProblemException.validation(errors);
    }
    // A DTO with a @FastValidation check skips class-validator when the check accepts the body.
    const check = metadata.type === 'body' ? fastCheckOf(metadata.metatype) : undefined;
    if (check && isPlainObject(normalized) && check(normalized)) {
      const Dto = metadata.metatype as new () => object;
      return Promise.resolve(Object.assign(new Dto(), normalized));
    }
    const parse = metadata.type === 'query' ? fastQueryOf(metadata.metatype) : undefined;
    const parsed = parse && isPlainObject(normalized) ? parse(normalized) : undefined;
    if (parsed) {
      const Dto = metadata.metatype as new () => object;
      return Promise.resolve(Object.assign(new Dto(), parsed));
    }
    return super.transform(normalized, metadata);
  }
}

/**
 * What the decorators alone make of a query (the pipe without its shortcut), or 'refused' for their 400: what
 * a FastQuery parse is checked against in its DTO's spec.
 */
export async function queryThroughDecorators(
  query: Record<string, unknown>,
  metatype: new () => object,
): Promise<object | 'refused'> {
  const pipe = new AppValidationPipe();
  try {
    const dto: unknown = await ValidationPipe.prototype.transform.call(pipe, query, {
      type: 'query',
      metatype,
    });
    return { ...(dto as object) };
  } catch {
    return 'refused';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
