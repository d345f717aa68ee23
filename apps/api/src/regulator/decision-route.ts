import { AuthUser, CurrentUser } from '@app/accounts';
import { applyDecorators, Body, HttpCode, HttpStatus, Param, Post, Type } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

type DecisionHandler = (regulator: AuthUser, id: string, decision: never) => Promise<unknown>;

/**
 * A regulator's decision on one object: 200 with the object as it now is, 409 when it does not apply. The
 * handler is given the signed-in regulator, the `:id` and the validated body, as `@CurrentUser()`,
 * `@Param('id')` and `@Body()` would give them.
 */
export const DecisionRoute =
  (path: string, type: Type, description: string) =>
  <H extends DecisionHandler>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ) => {
    // Last first, as TypeScript applies parameter decorators written on the handler.
    Body()(target, key, 2);
    Param('id')(target, key, 1);
    CurrentUser()(target, key, 0);
    applyDecorators(
      Post(path),
      ApiProblems({ 409: ['INVALID_TRANSITION'] }),
      HttpCode(HttpStatus.OK),
      ApiOkResponse({ type, description }),
    )(target, key, descriptor);
  };
