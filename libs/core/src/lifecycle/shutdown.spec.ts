import { EventEmitter } from 'node:events';

import { Logger } from '@nestjs/common';

import { stopOnSignals, within } from './shutdown';

/** A stand-in for `process`: signals are emitted by the test, exits recorded. */
function fakeProcess() {
  const events = new EventEmitter();
  const exits: number[] = [];
  const host = {
    on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
    exit: (code?: number) => void exits.push(code ?? 0),
  } as unknown as Pick<NodeJS.Process, 'on' | 'exit'>;
  return { host, exits, signal: (name: NodeJS.Signals) => events.emit(name, name) };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('stopOnSignals', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('stops once on the first SIGTERM or SIGINT, however many follow, and exits with its code', async () => {
    const { host, exits, signal } = fakeProcess();
    let finish!: (code: number) => void;
    const stop = jest.fn(() => new Promise<number>((resolve) => (finish = resolve)));
    stopOnSignals({ name: 'api', stop, deadlineMs: 10_000, host });

    signal('SIGINT');
    signal('SIGTERM');
    signal('SIGINT');
    await tick();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([]);
    finish(0);
    await tick();
    expect(exits).toEqual([0]);
  });

  it('exits 1 when the stop fails, and after the deadline when it hangs', async () => {
    const failing = fakeProcess();
    stopOnSignals({
      name: 'worker',
      stop: () => Promise.reject(new Error('pool gone')),
      deadlineMs: 10_000,
      host: failing.host,
    });
    failing.signal('SIGTERM');
    await tick();
    expect(failing.exits).toEqual([1]);

    const hanging = fakeProcess();
    stopOnSignals({
      name: 'worker',
      stop: () => new Promise<number>(() => undefined),
      deadlineMs: 50,
      host: hanging.host,
    });
    hanging.signal('SIGTERM');
    await tick(20);
    expect(hanging.exits).toEqual([]);
    await tick(100);
    expect(hanging.exits).toEqual([1]);
  });

  it('within: done when the work settles in time (rejected too), timeout otherwise', async () => {
    expect(await within(tick(5), 200)).toBe('done');
    expect(await within(Promise.reject(new Error('x')), 200)).toBe('done');
    expect(await within(tick(200), 20)).toBe('timeout');
  });
});
