import { applyDecorators, HttpCode, HttpStatus, Post, Type } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

/** A regulator's decision on one object: 200 with the object as it now is, 409 when it does not apply. */
export const DecisionRoute = (path: string, type: Type, description: string) =>
  applyDecorators(
    Post(path),
    ApiProblems({ 409: ['INVALID_TRANSITION'] }),
    HttpCode(HttpStatus.OK),
    ApiOkResponse({ type, description }),
  );
