import { AppConfig, ProblemException } from '@app/core';
import { ExecutionContext, Logger } from '@nestjs/common';

import { MetricsGuard } from './metrics.guard';

const TOKEN = 'scraper-token-0123456789abcdef';

function check(env: AppConfig['env'], token: string | undefined, authorization?: string) {
  const guard = new MetricsGuard({ env, metrics: { token } } as AppConfig);
  const context = {
    switchToHttp: () => ({ getRequest: () => ({ headers: authorization ? { authorization } : {} }) }),
  } as unknown as ExecutionContext;
  try {
    return guard.canActivate(context);
  } catch (error) {
    return error instanceof ProblemException ? `${error.getStatus()} ${error.code}` : error;
  }
}

describe('MetricsGuard', () => {
  it('in production without METRICS_TOKEN, serves nothing and says so at start-up', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(check('production', undefined)).toBe('404 NOT_FOUND');
    expect(check('production', undefined, 'Bearer anything')).toBe('404 NOT_FOUND');
    new MetricsGuard({ env: 'production', metrics: { token: undefined } } as AppConfig).onModuleInit();
    expect(warn).toHaveBeenCalledWith('METRICS_TOKEN is not set: /metrics is not served');
    warn.mockRestore();
  });

  it('without METRICS_TOKEN, serves development and test scrapers', () => {
    expect(check('development', undefined)).toBe(true);
    expect(check('test', undefined)).toBe(true);
  });

  it('with METRICS_TOKEN, takes only its bearer token, in every environment', () => {
    for (const env of ['production', 'development'] as const) {
      expect(check(env, TOKEN, `Bearer ${TOKEN}`)).toBe(true);
      expect(check(env, TOKEN)).toBe('401 UNAUTHENTICATED');
      expect(check(env, TOKEN, TOKEN)).toBe('401 UNAUTHENTICATED');
      expect(check(env, TOKEN, `Bearer ${TOKEN.slice(1)}`)).toBe('401 UNAUTHENTICATED');
    }
  });
});
