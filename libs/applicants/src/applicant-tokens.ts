import { APP_CONFIG, AppConfig, ProblemException } from '@app/core';
import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { APPLICANT_SETTINGS, ApplicantSettings } from './applicants.settings';

const ALGORITHM = 'HS256';

/** The holder of an applicant token: someone who proved, by a one-time code, that they hold this phone. */
export interface Applicant {
  phoneHash: string;
}

/**
 * Short-lived tokens for applicants. Their audience differs from staff tokens', so neither kind is accepted
 * where the other is expected.
 */
@Injectable()
export class ApplicantTokens {
  private readonly jwt: JwtService;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(APPLICANT_SETTINGS.token) private readonly settings: ApplicantSettings,
  ) {
    const audience = `${config.jwt.audience}:applicant`;
    this.jwt = new JwtService({
      secret: config.jwt.secret,
      signOptions: { algorithm: ALGORITHM, issuer: config.jwt.issuer, audience },
      verifyOptions: { algorithms: [ALGORITHM], issuer: config.jwt.issuer, audience },
    });
  }

  issue(applicant: Applicant): { applicantToken: string; expiresIn: number } {
    const expiresIn = this.settings.tokenTtlSeconds;
    return { applicantToken: this.jwt.sign({ sub: applicant.phoneHash }, { expiresIn }), expiresIn };
  }

  verify(token: string): Applicant | undefined {
    try {
      const claims = this.jwt.verify<{ sub?: unknown }>(token);
      return typeof claims.sub === 'string' ? { phoneHash: claims.sub } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Lets a request through with a valid applicant token (401 otherwise) and makes it `@CurrentApplicant()`. */
@Injectable()
export class ApplicantGuard implements CanActivate {
  constructor(private readonly tokens: ApplicantTokens) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; applicant?: Applicant }>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && /^Bearer [\w.-]+$/.test(header) ? header.slice(7) : undefined;
    const applicant = token && this.tokens.verify(token);
    if (!applicant) throw new ProblemException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED');
    request.applicant = applicant;
    return true;
  }
}

export const CurrentApplicant = createParamDecorator(
  (_: unknown, context: ExecutionContext): Applicant =>
    context.switchToHttp().getRequest<{ applicant: Applicant }>().applicant,
);
