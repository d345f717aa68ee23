import type { CircuitState } from './webhooks.repository';

/** The first retry of a delivery that failed while its endpoint's circuit stayed closed, in seconds. */
export const FIRST_RETRY_SECONDS = 2;
/** The longest wait between two tries of one delivery. */
export const LONGEST_RETRY_SECONDS = 900;

/**
 * When a delivery that failed `attempts` times in all may be tried again: 2 s, 4 s, 8 s… up to 15 minutes,
 * ±10 % so that a batch that failed together does not come back together. (An endpoint failing as a whole
 * opens its circuit instead; closing it makes every delivery due again.)
 */
export function retryDelaySeconds(attempts: number, random = Math.random): number {
  const base = Math.min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.9 + 0.2 * random()) * 1000) / 1000;
}

export type CircuitChange = 'opened' | 'closed' | undefined;

/**
 * A worker's view of one endpoint's circuit, moved at once by each result so that a failing endpoint stops
 * getting new sends before PostgreSQL, where the circuit is shared by every worker, has recorded it:
 *
 * - closed: deliveries flow, up to the per-agency cap in flight; `failures` consecutive failures (errors,
 *   timeouts, non-2xx answers) open it;
 * - open: nothing is sent but the probe (the oldest parked delivery, one every probe interval); a success,
 *   the probe's or a late answer's, closes it.
 */
export class Circuit {
  constructor(
    private readonly failuresToOpen: number,
    public state: CircuitState = 'closed',
    public consecutiveFailures = 0,
  ) {}

  record(ok: boolean): CircuitChange {
    if (ok) {
      this.consecutiveFailures = 0;
      if (this.state === 'open') {
        this.state = 'closed';
        return 'closed';
      }
      return undefined;
    }
    this.consecutiveFailures++;
    if (this.state === 'closed' && this.consecutiveFailures >= this.failuresToOpen) {
      this.state = 'open';
      return 'opened';
    }
    return undefined;
  }

  /** Takes the state PostgreSQL holds (another worker's results count too). */
  adopt(state: CircuitState, consecutiveFailures: number): void {
    this.state = state;
    this.consecutiveFailures = consecutiveFailures;
  }
}
