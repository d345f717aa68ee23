import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { supervise, Supervised } from '../scripts/supervise';

/** A child running `code` in Node; it prints nothing and, unless told otherwise, runs until stopped. */
const child = (name: string, code: string): Supervised => ({
  name,
  command: process.execPath,
  args: ['-e', code],
  options: { stdio: 'ignore' },
});
const SERVER = 'setInterval(() => undefined, 1000)';

describe('supervise (npm start)', () => {
  it('stops the api when the worker dies, and fails with its exit code', async () => {
    const log: string[] = [];
    const started = Date.now();
    const { done } = supervise(
      [child('api', SERVER), child('worker', 'setTimeout(() => process.exit(3), 200)')],
      { log: (line) => log.push(line) },
    );
    expect(await done).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(log).toEqual(['worker stopped (exit code 3); stopping the others']);
  });

  it('fails even when a child ends with code 0 or is killed by a signal', async () => {
    expect(await supervise([child('api', SERVER), child('worker', 'process.exit(0)')]).done).toBe(1);
    expect(
      await supervise([child('api', 'process.kill(process.pid, "SIGKILL")'), child('worker', SERVER)]).done,
    ).toBe(1);
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const stubborn = child('api', `process.on('SIGTERM', () => undefined); ${SERVER}`);
    const started = Date.now();
    const { done } = supervise([stubborn, child('worker', 'setTimeout(() => process.exit(2), 300)')], {
      graceMs: 500,
    });
    // `done` waits for every child: it resolves once the stubborn one is killed, not at its SIGTERM.
    expect(await done).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  });

  it('waits for children that drain on SIGTERM within the grace period, without killing them', async () => {
    // Like the api and the worker: SIGTERM starts a drain of 800 ms, then the child exits 0 by itself. Each
    // child leaves a file once it listens for SIGTERM, so that the signal never comes before (a loaded
    // machine takes a while to start Node).
    const dir = mkdtempSync(join(tmpdir(), 'supervise-'));
    const draining = (name: string) =>
      child(
        name,
        `process.on('SIGTERM', () => setTimeout(() => process.exit(0), 800));
         require('node:fs').writeFileSync(${JSON.stringify(join(dir, name))}, ''); ${SERVER}`,
      );
    const supervision = supervise([draining('api'), draining('worker')], { graceMs: 5000 });
    while (!existsSync(join(dir, 'api')) || !existsSync(join(dir, 'worker'))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stopped = Date.now();
    supervision.stop();
    expect(await supervision.done).toBe(0);
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(750);
    expect(Date.now() - stopped).toBeLessThan(4000);
  });

  it('stops everything on request and succeeds', async () => {
    const supervision = supervise([child('api', SERVER), child('worker', SERVER)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    supervision.stop();
    expect(await supervision.done).toBe(0);
  });
});
