import { ConfigError, loadConfig } from './app-config';

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
    [{ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.vn' }, /must be set together/],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.vn', BOOTSTRAP_ADMIN_PASSWORD: 'short' }, /at least 12/],
  ])('rejects %j', (override, message) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(message);
  });
});
