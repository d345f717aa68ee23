import cluster, { Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

import { ConfigError, loadDotEnv } from '../config/app-config';
import { collectClusterMetrics } from '../metrics/metrics';

/** The variables that say how many processes a service runs (README, "Configuration"). */
export type ProcessesVariable = 'API_PROCESSES' | 'WORKER_PROCESSES';

const MAX_PROCESSES = 64;
/** Set by the primary in each child: how many processes the service runs (see `siblingProcesses`). */
const SIBLINGS = 'XKLD_SIBLING_PROCESSES';
const READY = 'xkld:ready';

/**
 * How many processes `variable` asks for: every core by default in production (where the machine is the
 * service's), one elsewhere (a developer's machine runs the api, the worker, PostgreSQL and Redis at once).
 */
export function processCount(variable: ProcessesVariable, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return env.NODE_ENV === 'production' ? availableParallelism() : 1;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_PROCESSES) {
    throw new ConfigError(`${variable} must be an integer from 1 to ${MAX_PROCESSES}`);
  }
  return count;
}

/**
 * How many processes of this service run beside this one, itself included, on this machine: 1 unless it is a
 * child of `runProcesses`. A limit that must hold per machine rather than per process is shared by it.
 */
export function siblingProcesses(): number {
  return cluster.isWorker ? Number(process.env[SIBLINGS]) || 1 : 1;
}

/** A per-machine limit shared among the sibling processes: each takes its part, and never less than 1. */
export function shareOfLimit(limit: number, processes = siblingProcesses()): number {
  return Math.max(1, Math.floor(limit / processes));
}

export interface RestartPolicyOptions {
  /** Deaths within `windowMs` after which the primary gives up instead of restarting. */
  maxDeaths: number;
  windowMs: number;
  firstDelayMs: number;
  longestDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxDeaths: 5,
  windowMs: 60_000,
  firstDelayMs: 500,
  longestDelayMs: 10_000,
};

/**
 * When to start again a child that died after it had started: after a delay that doubles with each death of
 * the last window, and not at all once deaths come faster than `maxDeaths` per window (a crash loop is
 * better reported by the process manager above than hidden by restarts).
 */
export class RestartPolicy {
  private deaths: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** The delay before the restart, or undefined to give up. */
  died(now = Date.now()): number | undefined {
    const { maxDeaths, windowMs, firstDelayMs, longestDelayMs } = this.options;
    this.deaths = [...this.deaths.filter((at) => now - at < windowMs), now];
    if (this.deaths.length > maxDeaths) return undefined;
    return Math.min(longestDelayMs, firstDelayMs * 2 ** (this.deaths.length - 1));
  }
}

export interface RunProcessesOptions {
  /** Names the service in the primary's log lines. */
  name: string;
  /** The variable that says how many processes (`processCount`), read after `.env`. */
  variable: ProcessesVariable;
  /** Starts the service in this process; resolves once it serves (the api listens, the worker consumes). */
  start: () => Promise<void>;
  policy?: RestartPolicyOptions;
  log?: (line: string) => void;
}

/**
 * Runs the service as as many processes as its variable asks for, on node:cluster, or in this process alone
 * when that is 1 (the default outside production: nothing changes for development and tests).
 *
 * The primary only supervises: it loads nothing of the service, forks the children (which share the api's
 * port: the primary hands each new connection to the next child in turn), restarts a child that dies after it
 * started (RestartPolicy), and exits non-zero when a child fails before it started (a configuration or
 * start-up error that a restart would only repeat) or when children keep dying. SIGTERM or SIGINT is passed to
 * every child, each stops as it does alone, and the primary exits 0 when the last has. Children exit by
 * themselves when the primary dies (node:cluster), so none is left behind.
 */
export function runProcesses(options: RunProcessesOptions): void {
  if (cluster.isWorker) {
    void options.start().then(() => process.send?.(READY), fail);
    return;
  }
  let count: number;
  try {
    loadDotEnv();
    count = processCount(options.variable);
  } catch (error) {
    return fail(error);
  }
  if (count <= 1) {
    void options.start().catch(fail);
    return;
  }
  supervise(options, count);
}

function fail(error: unknown): void {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

function supervise(
  { name, policy, log = (line) => console.log(line) }: RunProcessesOptions,
  count: number,
): void {
  const restarts = new RestartPolicy(policy);
  const started = new WeakSet<Worker>();
  // Our own count: node:cluster keeps a dead child in `cluster.workers` until its channel has closed too.
  const running = new Set<Worker>();
  let stopping = false;
  let exitCode = 0;
  const say = (line: string) => log(`[${name} primary ${process.pid}] ${line}`);

  const fork = () => {
    const child = cluster.fork({ [SIBLINGS]: String(count) });
    running.add(child);
    child.on('message', (message: unknown) => {
      if (message === READY) started.add(child);
    });
  };
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (running.size === 0) process.exit(exitCode);
    for (const child of running) child.process.kill('SIGTERM');
  };

  cluster.on('exit', (child, code, signal) => {
    running.delete(child);
    const how = signal ?? `exit code ${code}`;
    if (stopping) {
      // A child that could not drain in time says so with its code: so does the whole.
      if (code) exitCode ||= code;
      if (running.size === 0) process.exit(exitCode);
      return;
    }
    if (!started.has(child)) {
      say(`a process failed to start (${how}): stopping`);
      stopAll(code || 1);
      return;
    }
    const delay = restarts.died();
    if (delay === undefined) {
      say(`processes keep dying (${how}): stopping`);
      stopAll(1);
      return;
    }
    say(`process ${child.process.pid} died (${how}); another starts in ${delay} ms`);
    setTimeout(() => stopping || fork(), delay);
  });
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));

  collectClusterMetrics();
  say(`starting ${count} processes`);
  for (let i = 0; i < count; i++) fork();
}
