import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Min } from 'class-validator';

import { AppConfig, ConfigError, loadConfig } from './app-config';
import { defineSettings, envBool, envInt } from './settings';

const valid = {
  JWT_SECRET: 'x'.repeat(32),
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('loadConfig', () => {
  it('applies local defaults around the required secrets', () => {
    const config = loadConfig(valid);
    expect(config.http.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/xkld');
    expect(config.encryptionKey).toHaveLength(32);
    expect(config.http.trustedProxies).toEqual([]);
  });

  it('reads the trusted proxies as a list of addresses', () => {
    const config = loadConfig({ ...valid, TRUSTED_PROXIES: ' 10.0.0.0/8, loopback,2001:db8::1 ' });
    expect(config.http.trustedProxies).toEqual(['10.0.0.0/8', 'loopback', '2001:db8::1']);
  });

  it('refuses to start without secrets, naming each problem', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(
      /JWT_SECRET must be at least 32 characters[\s\S]*ENCRYPTION_KEY must be 32 bytes/,
    );
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, /TRUSTED_PROXIES must be IPs, CIDRs/],
    [{ TRUSTED_PROXIES: '10.0.0.1, proxy.internal' }, /TRUSTED_PROXIES must be IPs, CIDRs/],
    // A hop count trusts whoever connects directly: refused rather than silently ignored.
    [
      { TRUSTED_PROXY_HOPS: '1' },
      /TRUSTED_PROXY_HOPS is no longer read: list the proxies in TRUSTED_PROXIES/,
    ],
  ])('rejects %j', (override, message) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(message);
  });
});

describe('defineSettings', () => {
  class ExampleVariables {
    @Transform(envInt)
    @IsInt()
    @Min(1)
    EXAMPLE_LIMIT = 30;

    @Transform(envBool)
    @IsBoolean()
    EXAMPLE_STRICT = false;
  }

  const EXAMPLE = defineSettings(
    'example',
    ExampleVariables,
    (env) => ({ limit: env.EXAMPLE_LIMIT, strict: env.EXAMPLE_STRICT }),
    (env) => (env.EXAMPLE_STRICT && env.EXAMPLE_LIMIT > 100 ? ['EXAMPLE_STRICT allows at most 100'] : []),
  );
  const valueIn = (config: AppConfig) => EXAMPLE.provider.useFactory(config) as unknown;

  it("gives a lib its value from the one configuration, with the lib's defaults", () => {
    expect(valueIn(loadConfig(valid))).toEqual({ limit: 30, strict: false });
    expect(valueIn(loadConfig({ ...valid, EXAMPLE_LIMIT: '7', EXAMPLE_STRICT: 'true' }))).toEqual({
      limit: 7,
      strict: true,
    });
  });

  it("names a lib's problems together with core's", () => {
    expect(() => loadConfig({ EXAMPLE_LIMIT: '0' })).toThrow(
      /JWT_SECRET must be at least 32 characters[\s\S]*EXAMPLE_LIMIT must not be less than 1/,
    );
    expect(() => loadConfig({ ...valid, EXAMPLE_LIMIT: '500', EXAMPLE_STRICT: '1' })).toThrow(
      'EXAMPLE_STRICT allows at most 100',
    );
  });

  it('refuses settings defined after the configuration was loaded', () => {
    const config = loadConfig(valid);
    const late = defineSettings('late', ExampleVariables, (env) => env.EXAMPLE_LIMIT);
    expect(() => late.provider.useFactory(config)).toThrow(/late settings were defined after/);
  });
});
