import { availableParallelism } from 'node:os';

import { processCount, RestartPolicy, shareOfLimit } from './processes';

describe('processCount', () => {
  it('defaults to every core in production and to one elsewhere', () => {
    expect(processCount('API_PROCESSES', { NODE_ENV: 'production' })).toBe(availableParallelism());
    expect(processCount('API_PROCESSES', { NODE_ENV: 'development' })).toBe(1);
    expect(processCount('WORKER_PROCESSES', { NODE_ENV: 'test', WORKER_PROCESSES: '' })).toBe(1);
    expect(processCount('WORKER_PROCESSES', { NODE_ENV: 'production', WORKER_PROCESSES: '3' })).toBe(3);
  });

  it.each(['0', '-1', '1.5', 'two', '65'])('refuses %j, naming the variable', (value) => {
    expect(() => processCount('API_PROCESSES', { API_PROCESSES: value })).toThrow(
      'API_PROCESSES must be an integer from 1 to 64',
    );
  });
});

describe('shareOfLimit', () => {
  it('splits a per-machine limit among the processes, never below 1', () => {
    expect(shareOfLimit(16, 1)).toBe(16);
    expect(shareOfLimit(16, 2)).toBe(8);
    expect(shareOfLimit(16, 3)).toBe(5);
    expect(shareOfLimit(1, 4)).toBe(1);
  });
});

describe('RestartPolicy', () => {
  const policy = () =>
    new RestartPolicy({ maxDeaths: 3, windowMs: 60_000, firstDelayMs: 500, longestDelayMs: 1500 });

  it('waits longer after each death in the window, up to the longest delay, then gives up', () => {
    const restarts = policy();
    expect(restarts.died(0)).toBe(500);
    expect(restarts.died(1000)).toBe(1000);
    expect(restarts.died(2000)).toBe(1500);
    expect(restarts.died(3000)).toBeUndefined();
  });

  it('forgets deaths older than the window', () => {
    const restarts = policy();
    expect(restarts.died(0)).toBe(500);
    expect(restarts.died(10_000)).toBe(1000);
    expect(restarts.died(20_000)).toBe(1500);
    // The first death left the window: three in the last minute, not four.
    expect(restarts.died(61_000)).toBe(1500);
    expect(restarts.died(200_000)).toBe(500);
  });
});
