import { defineSettings, EnvInt, SettingsOf } from '../config/settings';

class ShutdownVariables {
  /** Seconds the api lets requests in flight finish after SIGTERM before it cuts their connections. */
  @EnvInt(1, 600)
  API_SHUTDOWN_GRACE_SECONDS = 10;

  /** Seconds the worker lets running jobs finish after SIGTERM before it exits without them. */
  @EnvInt(1, 3600)
  WORKER_SHUTDOWN_GRACE_SECONDS = 30;
}

/**
 * How long a process drains after SIGTERM or SIGINT (libs/core/src/lifecycle/shutdown.ts). The orchestrator's
 * own stop timeout (`docker stop -t`, compose `stop_grace_period`, Kubernetes'
 * `terminationGracePeriodSeconds`) must be longer, or it kills the process mid-drain.
 */
export const SHUTDOWN_SETTINGS = defineSettings('shutdown', ShutdownVariables, (env) => ({
  apiGraceMs: env.API_SHUTDOWN_GRACE_SECONDS * 1000,
  workerGraceMs: env.WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
}));

export type ShutdownSettings = SettingsOf<typeof SHUTDOWN_SETTINGS>;
