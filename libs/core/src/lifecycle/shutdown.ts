import { Logger } from '@nestjs/common';

/** 'done' when `work` settles within `ms`, 'timeout' otherwise (the work itself goes on). */
export async function within(work: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([
      work.then(
        () => 'done' as const,
        () => 'done' as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface StopOnSignalsOptions {
  /** Names the process in the log lines. */
  name: string;
  /**
   * Drains and closes the process; resolves with the exit code (0: everything finished in time). It bounds
   * its own waiting with the grace period; `deadlineMs` only catches a close that hangs anyway.
   */
  stop: () => Promise<number>;
  /** After this long the process exits 1 whatever `stop` is doing. */
  deadlineMs: number;
  /** For tests: what listens and exits instead of `process`. */
  host?: Pick<NodeJS.Process, 'on' | 'exit'>;
}

/**
 * Stops the process on its first SIGTERM or SIGINT by `stop`, then exits with its code. A second signal changes
 * nothing: Ctrl-C reaches every process of the terminal's group and `npm start` (or a cluster's primary) then
 * sends SIGTERM too, and neither must cut a drain short. Nest's `enableShutdownHooks` is not used because it
 * runs the modules' destroy hooks before it closes the HTTP server, while requests are still in flight; `stop`
 * drains first and then closes the Nest application, whose hooks run as usual.
 */
export function stopOnSignals({ name, stop, deadlineMs, host = process }: StopOnSignalsOptions): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ signal }, `${name} stopping`);
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs }, `${name} did not stop in time; exiting`);
      host.exit(1);
    }, deadlineMs);
    deadline.unref();
    stop().then(
      (code) => {
        clearTimeout(deadline);
        logger.log({ code }, `${name} stopped`);
        host.exit(code);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error(
          { err: error instanceof Error ? error.message : error },
          `${name} failed to stop cleanly`,
        );
        host.exit(1);
      },
    );
  };
  host.on('SIGTERM', onSignal);
  host.on('SIGINT', onSignal);
}
