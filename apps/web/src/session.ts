import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { AuthService, AuthUser, Role } from '@app/accounts';
import { APP_CONFIG, AppConfig } from '@app/core';
import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'xkld_session';
export const CSRF_COOKIE = 'xkld_csrf';
export const CSRF_FIELD = '_csrf';

/** The roles a console page admits; pages without it are public. */
export const ConsoleRoles = (...roles: Role[]) => SetMetadata('web:roles', roles);

/** Answered with a redirect to the sign-in page. */
export class SignInRequired extends HttpException {
  constructor(readonly next: string) {
    super('sign-in required', HttpStatus.UNAUTHORIZED);
  }
}

/** A state-changing form arrived without the token of the page that showed it. */
export class CsrfRefused extends HttpException {
  constructor() {
    super('csrf token refused', HttpStatus.FORBIDDEN);
  }
}

export function readCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 1) continue;
    const name = part.slice(0, index).trim();
    if (!(name in cookies)) {
      try {
        cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        // a cookie that is not ours
      }
    }
  }
  return cookies;
}

const USER = Symbol('web user');
const CSRF = Symbol('web csrf');

type WebRequest = FastifyRequest & { [USER]?: AuthUser | null; [CSRF]?: string };

/**
 * Console sessions and CSRF protection. The session is the signed access token of `POST /auth/login` in an
 * HttpOnly, SameSite=Lax cookie (Secure outside development), checked on every request like a bearer token,
 * so a disabled account or a changed role takes effect at once. Every form carries a token that is an HMAC
 * of a random HttpOnly cookie: a page of another site can neither read the cookie nor compute the token.
 */
@Injectable()
export class WebSession {
  private readonly csrfKey: Buffer;
  private readonly secure: boolean;
  private readonly sessionSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
  ) {
    this.csrfKey = createHmac('sha256', config.jwt.secret).update('xkld web csrf').digest();
    this.secure = config.env !== 'development';
    this.sessionSeconds = config.jwt.ttlSeconds;
  }

  cookie(name: string, value: string, maxAgeSeconds: number): string {
    return [
      `${name}=${encodeURIComponent(value)}`,
      'Path=/',
      `Max-Age=${maxAgeSeconds}`,
      'HttpOnly',
      'SameSite=Lax',
      ...(this.secure ? ['Secure'] : []),
    ].join('; ');
  }

  async user(request: FastifyRequest): Promise<AuthUser | undefined> {
    const web = request as WebRequest;
    if (web[USER] === undefined) {
      const token = readCookies(request.headers.cookie)[SESSION_COOKIE];
      web[USER] = (token && (await this.auth.authenticateToken(token))) || null;
    }
    return web[USER] ?? undefined;
  }

  /** The token to put in this page's forms; issues the cookie it is derived from when there is none yet. */
  csrfToken(request: FastifyRequest, reply: FastifyReply): string {
    const web = request as WebRequest;
    if (web[CSRF]) return web[CSRF];
    let seed = readCookies(request.headers.cookie)[CSRF_COOKIE];
    if (!seed || !/^[A-Za-z0-9_-]{43}$/.test(seed)) {
      seed = randomBytes(32).toString('base64url');
      void reply.header('set-cookie', this.cookie(CSRF_COOKIE, seed, 7 * 24 * 3600));
    }
    web[CSRF] = this.sign(seed);
    return web[CSRF];
  }

  /** Refuses a form whose token is missing or does not belong to the browser's cookie. */
  verifyCsrf(request: FastifyRequest): void {
    const seed = readCookies(request.headers.cookie)[CSRF_COOKIE];
    const sent = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    if (!seed || typeof sent !== 'string') throw new CsrfRefused();
    const expected = Buffer.from(this.sign(seed));
    const actual = Buffer.from(sent);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new CsrfRefused();
  }

  /** Starts a session with a fresh CSRF cookie, so a token learnt before signing in is worth nothing after. */
  signIn(request: FastifyRequest, reply: FastifyReply, accessToken: string): void {
    const seed = randomBytes(32).toString('base64url');
    (request as WebRequest)[CSRF] = this.sign(seed);
    void reply.header('set-cookie', [
      this.cookie(SESSION_COOKIE, accessToken, this.sessionSeconds),
      this.cookie(CSRF_COOKIE, seed, 7 * 24 * 3600),
    ]);
  }

  signOut(reply: FastifyReply): void {
    void reply.header('set-cookie', [this.cookie(SESSION_COOKIE, '', 0), this.cookie(CSRF_COOKIE, '', 0)]);
  }

  private sign(seed: string): string {
    return createHmac('sha256', this.csrfKey).update(seed).digest('base64url');
  }
}

/**
 * Guards every page: a POST must carry its form's CSRF token, and a console page needs a signed-in user of
 * one of its roles (the API's roles; the agency is always the user's own).
 */
@Injectable()
export class WebGuard implements CanActivate {
  constructor(
    private readonly session: WebSession,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>('web:roles', [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles) {
      const user = await this.session.user(request);
      if (!user) throw new SignInRequired(request.method === 'GET' ? request.url : '');
      if (!roles.includes(user.role)) throw new HttpException('forbidden', HttpStatus.FORBIDDEN);
    }
    if (request.method === 'POST') this.session.verifyCsrf(request);
    return true;
  }
}
