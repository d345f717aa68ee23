import { ProblemException } from '@app/core';
import {
  applyDecorators,
  CanActivate,
  Controller,
  createParamDecorator,
  ExecutionContext,
  HttpStatus,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { AuthUser } from './auth.service';
import type { Role } from './user.entity';

const ROLES_KEY = 'roles';

/** Restricts a route to the given roles; use with JwtAuthGuard then RolesGuard. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser =>
    context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(error: unknown, user: T | false): T {
    if (error || !user) throw new ProblemException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED');
    return user;
  }
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!roles || (user && roles.includes(user.role))) return true;
    throw new ProblemException(HttpStatus.FORBIDDEN, 'FORBIDDEN');
  }
}

/**
 * A controller for signed-in staff: its path, a bearer token (JwtAuthGuard) and the role, or one of the
 * roles (AGENCY_ROLES), it admits (RolesGuard); a route's own `@Roles` replaces them. Its OpenAPI tag is
 * the path's first segment (`admin`, `agency`, `regulator`): each audience's endpoints are listed together.
 */
export const StaffController = (path: string, roles: Role | readonly Role[]) =>
  applyDecorators(
    ApiTags(path.split('/')[0]),
    ApiBearerAuth(),
    Controller(path),
    UseGuards(JwtAuthGuard, RolesGuard),
    Roles(...(typeof roles === 'string' ? [roles] : roles)),
  );
