import { createHash, timingSafeEqual } from 'node:crypto';

import { APP_CONFIG, AppConfig, ProblemException } from '@app/core';
import {
  CanActivate,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * /metrics is for the operator's scraper, not the public: with METRICS_TOKEN set it takes only
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); without one it is served in development and tests
 * and is a 404 in production.
 */
@Injectable()
export class MetricsGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger(MetricsGuard.name);
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.metrics.token) this.expected = digest(`Bearer ${config.metrics.token}`);
  }

  onModuleInit(): void {
    if (!this.expected && this.config.env === 'production') {
      this.logger.warn('METRICS_TOKEN is not set: /metrics is not served');
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      if (this.config.env === 'production') throw ProblemException.notFound();
      return true;
    }
    const authorization = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    if (timingSafeEqual(digest(authorization), this.expected)) return true;
    throw new ProblemException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', {}, undefined, {
      'www-authenticate': 'Bearer realm="metrics"',
    });
  }
}
