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

  it('stops everything on request and succeeds', async () => {
    const supervision = supervise([child('api', SERVER), child('worker', SERVER)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    supervision.stop();
    expect(await supervision.done).toBe(0);
  });
});
