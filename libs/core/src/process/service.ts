import { AppConfig, loadConfig, loadDotEnv } from '../config/app-config';
import { stopOnSignals } from '../lifecycle/shutdown';
import { SHUTDOWN_SETTINGS, ShutdownSettings } from '../lifecycle/shutdown.settings';
import { ProcessesVariable, runProcesses } from './processes';

export interface RunServiceOptions<App> {
  /** Names the service in log lines (`api stopping`). */
  name: string;
  /** The variable that says how many processes (runProcesses). */
  variable: ProcessesVariable;
  /** Which shutdown setting is the service's grace period. */
  grace: keyof ShutdownSettings;
  /** Starts the service in this process; resolves once it serves. */
  start: (config: AppConfig) => Promise<App>;
  /** Drains and closes the service on SIGTERM or SIGINT (stopOnSignals); resolves with the exit code. */
  drain: (app: App, graceMs: number) => Promise<number>;
  /** The line printed once the service serves and its signals are handled. */
  ready: (config: AppConfig) => string;
}

/**
 * A service's entry point: `.env` and the validated configuration, `start`, a graceful stop on SIGTERM or
 * SIGINT within the service's grace period, then `ready`; as one process or several (runProcesses).
 */
export function runService<App>(service: RunServiceOptions<App>): void {
  runProcesses({
    name: service.name,
    variable: service.variable,
    start: async () => {
      loadDotEnv();
      const config = loadConfig();
      const app = await service.start(config);
      const graceMs = (config.settings.get(SHUTDOWN_SETTINGS) as ShutdownSettings)[service.grace];
      stopOnSignals({
        name: service.name,
        stop: () => service.drain(app, graceMs),
        deadlineMs: graceMs + 10_000,
      });
      console.log(service.ready(config));
    },
  });
}
