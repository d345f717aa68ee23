import { loadConfig } from '@app/core';

import { ACCOUNT_SETTINGS, AccountSettings } from './accounts.settings';

const valid = {
  JWT_SECRET: 'x'.repeat(32),
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('ACCOUNT_SETTINGS', () => {
  it('has no bootstrap admin unless one is configured', () => {
    const settings = ACCOUNT_SETTINGS.provider.useFactory(loadConfig(valid)) as AccountSettings;
    expect(settings.bootstrapAdmin).toBeUndefined();
    const config = loadConfig({
      ...valid,
      BOOTSTRAP_ADMIN_EMAIL: 'admin@example.vn',
      BOOTSTRAP_ADMIN_PASSWORD: 'long enough password',
    });
    expect(ACCOUNT_SETTINGS.provider.useFactory(config)).toMatchObject({
      bootstrapAdmin: { email: 'admin@example.vn', password: 'long enough password' },
    });
  });

  it.each([
    [{ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.vn' }, /must be set together/],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.vn', BOOTSTRAP_ADMIN_PASSWORD: 'short' }, /at least 12/],
  ])('rejects %j', (override, message) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(message);
  });
});
