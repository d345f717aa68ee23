import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';

export interface Supervised {
  name: string;
  command: string;
  args: string[];
  options?: SpawnOptions;
}

export interface Supervision {
  /** The exit code for the whole: 0 after `stop`, otherwise that of the child that ended first (1 if 0). */
  readonly done: Promise<number>;
  /** Stops every child (SIGTERM, then SIGKILL after the grace period); `done` resolves with 0. */
  stop(): void;
}

/**
 * Runs processes as one service: when one ends, whatever its code, the others are stopped and the whole
 * fails, so an api never stays up without its worker (or the reverse) looking healthy. A child that
 * ignores SIGTERM for `graceMs` is killed.
 */
export function supervise(
  processes: Supervised[],
  {
    graceMs = 10_000,
    log = (_line: string) => undefined,
  }: { graceMs?: number; log?: (line: string) => void } = {},
): Supervision {
  let exitCode: number | undefined;
  const running = new Set<ChildProcess>();
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const stopAll = (code: number) => {
    if (exitCode !== undefined) return;
    exitCode = code;
    if (running.size === 0) return finish(code);
    for (const child of running) child.kill('SIGTERM');
    setTimeout(() => {
      for (const child of running) child.kill('SIGKILL');
    }, graceMs).unref();
  };

  for (const { name, command, args, options } of processes) {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    running.add(child);
    const ended = (code: number | null, signal: NodeJS.Signals | null) => {
      if (!running.delete(child)) return;
      if (exitCode === undefined) {
        log(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the others`);
        stopAll(code || 1);
      }
      if (running.size === 0) finish(exitCode!);
    };
    child.on('exit', ended);
    child.on('error', (error) => {
      log(`${name} could not run: ${error.message}`);
      ended(1, null);
    });
  }
  return { done, stop: () => stopAll(0) };
}
