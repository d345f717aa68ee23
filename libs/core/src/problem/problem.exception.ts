import { HttpException, HttpStatus } from '@nestjs/common';

import { ProblemCode } from './messages';

export interface FieldError {
  field: string;
  constraint: string;
}

/** An expected failure, rendered as problem+json with a stable code and localised text. */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ProblemCode,
    readonly params: Record<string, string | number> = {},
    readonly fieldErrors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(code, status);
  }

  static notFound(): ProblemException {
    return new ProblemException(HttpStatus.NOT_FOUND, 'NOT_FOUND');
  }

  static validation(fieldErrors: FieldError[]): ProblemException {
    return new ProblemException(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', {}, fieldErrors);
  }
}
