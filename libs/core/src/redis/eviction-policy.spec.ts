import { judgeEvictionPolicy } from './eviction-policy';

class ReplyError extends Error {
  override name = 'ReplyError';
}

describe('judgeEvictionPolicy (the worker at start)', () => {
  it('starts with noeviction', () => {
    expect(judgeEvictionPolicy(['maxmemory-policy', 'noeviction'])).toEqual({
      action: 'start',
      policy: 'noeviction',
    });
  });

  it.each([
    'allkeys-lru',
    'allkeys-lfu',
    'allkeys-random',
    'volatile-lru',
    'volatile-lfu',
    'volatile-random',
    'volatile-ttl',
  ])('refuses %s, naming the policy and the fix', (policy) => {
    const verdict = judgeEvictionPolicy(['maxmemory-policy', policy]);
    expect(verdict).toMatchObject({ action: 'refuse', policy });
    if (verdict.action !== 'refuse') throw new Error('not refused');
    expect(verdict.message).toContain(`"${policy}"`);
    expect(verdict.message).toContain('CONFIG SET maxmemory-policy noeviction');
    expect(verdict.message).toContain('maxmemory-policy noeviction` in redis.conf');
  });

  it('refuses a policy it does not know rather than guessing it is safe', () => {
    expect(judgeEvictionPolicy(['maxmemory-policy', 'some-future-policy'])).toMatchObject({
      action: 'refuse',
    });
  });

  it('warns and starts when CONFIG is renamed away or denied (managed Redis)', () => {
    for (const refusal of [
      "ERR unknown command 'CONFIG', with args beginning with: 'GET' 'maxmemory-policy'",
      "NOPERM User worker has no permissions to run the 'config|get' command",
    ]) {
      const verdict = judgeEvictionPolicy(new ReplyError(refusal));
      expect(verdict.action).toBe('warn');
      if (verdict.action !== 'warn') throw new Error('not a warning');
      expect(verdict.message).toContain(refusal.slice(0, 40));
      expect(verdict.message).toContain('noeviction');
    }
  });

  it('warns and starts when CONFIG GET answers nothing for the parameter', () => {
    expect(judgeEvictionPolicy([]).action).toBe('warn');
    expect(judgeEvictionPolicy(null).action).toBe('warn');
    expect(judgeEvictionPolicy(['maxmemory', '0']).action).toBe('warn');
  });
});
