import { AGENCY_ROLES, AuthUser, JwtAuthGuard } from '@app/accounts';
import { ProblemException } from '@app/core';
import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';

/**
 * For endpoints open to anonymous job seekers that an agency's own accounts must not use: no token passes,
 * an invalid token is a 401, and a valid agency token a 403.
 */
@Injectable()
export class NoAgencyStaffGuard extends JwtAuthGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; user?: AuthUser }>();
    if (request.headers.authorization === undefined) return true;
    await super.canActivate(context);
    if (request.user && AGENCY_ROLES.includes(request.user.role)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'REVIEW_BY_AGENCY_STAFF');
    }
    return true;
  }
}
