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
    /** Extra members of the problem document (RFC 9457 extensions), such as the violated rules. */
    readonly extensions: Record<string, unknown> = {},
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
