import {
  AttemptOutcome,
  Circuit,
  CircuitAfter,
  CONSULTATION_SETTINGS,
  ConsultationSettings,
  DeliveryKey,
  DueLane,
  LeadDeliveryService,
  PreparedDelivery,
  retryDelaySeconds,
  WebhookSender,
} from '@app/consultations';
import { shareOfLimit } from '@app/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

/** How often the dispatcher looks for agencies with deliveries due when nothing woke it. */
const POLL_MS = 100;
/** A claimed delivery belongs to this worker for this long; one it has not recorded by then is sent again. */
const LEASE_SECONDS = 60;
/** Outcomes are written in batches: at most this long after the first, or at this many. */
const FLUSH_MS = 20;
const FLUSH_AT = 100;
/** Deliveries claimed ahead of the sends, in multiples of WEBHOOK_CONCURRENCY_PER_AGENCY. */
const CLAIM_AHEAD = 8;
/** At shutdown, sends in flight get this long to finish before they are cut (and released, not recorded). */
const SHUTDOWN_GRACE_MS = 2000;

type WebhookSettings = ConsultationSettings['webhooks'];

interface ReadyDelivery extends PreparedDelivery {
  claimedAt: number;
  probe: boolean;
}

/** What a lane needs of its dispatcher. */
interface LaneHost {
  readonly running: boolean;
  readonly settings: WebhookSettings;
  readonly delivery: LeadDeliveryService;
  readonly sender: WebhookSender;
  readonly logger: Logger;
  takeSlot(lane: Lane): boolean;
  freeSlot(): void;
}

/**
 * Sends agencies' webhook events. The undelivered rows of `webhook_deliveries` are the queue: every agency
 * has a lane of its own in each worker, which leases its due deliveries oldest first, keeps up to
 * WEBHOOK_CONCURRENCY_PER_AGENCY of them in flight over a keep-alive pool, and writes the outcomes in
 * batches. An endpoint that fails WEBHOOK_CIRCUIT_FAILURES times in a row opens its circuit: its deliveries
 * are parked (left in the table, not retried) and only a probe goes out every probe interval, so a hanging
 * or failing endpoint holds at most its own lane's slots for one timeout and never another agency's.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy, LaneHost {
  readonly logger = new Logger(WebhookDispatcher.name);
  readonly settings: WebhookSettings;
  readonly sender: WebhookSender;
  running = false;
  private readonly lanes = new Map<string, Lane>();
  /** Lanes with deliveries ready but held back by WEBHOOK_CONCURRENCY, served in turn. */
  private readonly waiting = new Set<Lane>();
  private inFlight = 0;
  private loop?: Promise<void>;
  private woken = false;
  private wakeUp?: () => void;

  constructor(
    readonly delivery: LeadDeliveryService,
    @Inject(CONSULTATION_SETTINGS.token) config: ConsultationSettings,
  ) {
    // The per-agency limit holds per machine: each of WORKER_PROCESSES takes its share (the total in flight
    // is per process, a bound on this process's sockets and memory).
    this.settings = {
      ...config.webhooks,
      concurrencyPerAgency: shareOfLimit(config.webhooks.concurrencyPerAgency),
    };
    // Its own pool, closed when this dispatcher has stopped (the module's would close before).
    this.sender = new WebhookSender(config);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    const lanes = [...this.lanes.values()];
    await until(() => lanes.every((lane) => lane.idle), SHUTDOWN_GRACE_MS);
    await this.sender.close();
    await until(() => lanes.every((lane) => lane.inFlight === 0), 1000);
    await Promise.all(lanes.map((lane) => lane.drain()));
  }

  /** Looks for due deliveries now (a lead was just assigned in this process, or a job asked for it). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  takeSlot(lane: Lane): boolean {
    if (this.inFlight >= this.settings.concurrency) {
      this.waiting.add(lane);
      return false;
    }
    this.inFlight++;
    return true;
  }

  freeSlot(): void {
    this.inFlight--;
    const [next] = this.waiting;
    if (next) {
      this.waiting.delete(next);
      next.pump();
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      try {
        const due = await this.delivery.dueLanes();
        for (const view of due) this.lane(view.agencyId).sync(view);
        const seen = new Set(due.map((view) => view.agencyId));
        for (const [agencyId, lane] of this.lanes) {
          if (!seen.has(agencyId) && lane.idle && !lane.pending) this.lanes.delete(agencyId);
        }
      } catch (error) {
        this.logger.warn({ err: message(error) }, 'webhook deliveries not read; retrying');
        await this.pause(1000);
      }
      await this.pause(POLL_MS);
    }
  }

  private lane(agencyId: string): Lane {
    let lane = this.lanes.get(agencyId);
    if (!lane) this.lanes.set(agencyId, (lane = new Lane(agencyId, this)));
    return lane;
  }

  private pause(ms: number): Promise<void> {
    if (this.woken || !this.running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).then(() => {
      this.wakeUp = undefined;
    });
  }
}

/** One agency's deliveries in this worker: its circuit, its leased deliveries and its outcomes to write. */
class Lane {
  inFlight = 0;
  private readonly circuit: Circuit;
  private readonly ready: ReadyDelivery[] = [];
  private outcomes: AttemptOutcome[] = [];
  private releases: DeliveryKey[] = [];
  private probeDue = false;
  private probing = false;
  /** The last claim was full: there is more to claim without waiting for the dispatcher's poll. */
  private more = false;
  /** Claims in progress (two at most: one is prepared while the next is claimed). */
  private readonly fills = new Set<Promise<void>>();
  /** The last claim's turn to add to `ready`: claims add their deliveries in the order they were made. */
  private lastFill: Promise<void> = Promise.resolve();
  private flushing?: Promise<void>;
  private flushTimer?: NodeJS.Timeout;
  /** Set while the write that closes the circuit (and makes parked deliveries due) runs. */
  private closing?: Promise<void>;

  constructor(
    readonly agencyId: string,
    private readonly host: LaneHost,
  ) {
    this.circuit = new Circuit(host.settings.circuitFailures);
  }

  /** Nothing in flight, claimed or being claimed. */
  get idle(): boolean {
    return this.inFlight === 0 && this.ready.length === 0 && this.fills.size === 0;
  }

  /** Outcomes or releases not written yet. */
  get pending(): boolean {
    return this.outcomes.length > 0 || this.releases.length > 0 || !!this.flushing;
  }

  /** The circuit as PostgreSQL holds it, unless this lane has newer results of its own to write. */
  sync(view: DueLane): void {
    if (!this.pending) this.adopt(view.circuitState, view.consecutiveFailures);
    this.probeDue = view.circuitState === 'open';
    this.fill();
  }

  /** Claims more when there is room: a batch while the circuit is closed, the probe while it is open. */
  fill(): void {
    if (!this.host.running) return;
    const cap = this.host.settings.concurrencyPerAgency;
    if (this.circuit.state === 'open') {
      if (
        this.fills.size === 0 &&
        this.probeDue &&
        !this.probing &&
        this.inFlight === 0 &&
        !this.ready.length
      ) {
        this.track(this.probe());
      }
      return;
    }
    // Claimed ahead, so that sends never wait for the next claim.
    const batch = Math.max(cap * CLAIM_AHEAD, 32);
    if (this.fills.size >= 2 || (this.fills.size === 1 && !this.more) || this.ready.length >= batch) return;
    this.track(this.claim(batch, false));
  }

  private track(fill: Promise<void>): void {
    this.fills.add(fill);
    void fill.finally(() => {
      this.fills.delete(fill);
      if (this.more) this.fill();
    });
  }

  /** Starts sends while the lane (and the dispatcher) has room. */
  pump(): void {
    if (!this.host.running) {
      this.release(this.ready.splice(0));
      return;
    }
    // A failing endpoint (its last answer was a failure) gets one delivery at a time until one succeeds, so
    // the slots its failures free are not refilled; an open circuit gets only its probe.
    const limit =
      this.circuit.state === 'open'
        ? Number(this.probing)
        : this.circuit.consecutiveFailures > 0
          ? 1
          : this.host.settings.concurrencyPerAgency;
    while (this.ready.length > 0 && this.inFlight < limit) {
      if (!this.host.takeSlot(this)) return;
      const next = this.ready.shift()!;
      if (Date.now() - next.claimedAt > (LEASE_SECONDS * 1000) / 2) {
        // Waited too long for a slot: another worker may take it once the lease ends.
        this.host.freeSlot();
        this.release([next]);
        continue;
      }
      this.inFlight++;
      void this.send(next);
    }
    if (this.circuit.state === 'closed' && this.more) this.fill();
  }

  /** Hands back what this lane holds and writes what it has not written yet (the worker stops). */
  async drain(): Promise<void> {
    this.release(this.ready.splice(0));
    await Promise.all([...this.fills]);
    for (let tries = 0; tries < 3 && (this.pending || this.flushing); tries++) {
      await this.flush();
    }
  }

  private async probe(): Promise<void> {
    this.probeDue = false;
    try {
      const { delivery, settings } = this.host;
      if (!(await delivery.grantProbe(this.agencyId, settings.probeIntervalSeconds))) return;
      await this.claim(1, true);
    } catch (error) {
      this.host.logger.warn({ agencyId: this.agencyId, err: message(error) }, 'webhook probe not sent');
    }
  }

  private async claim(limit: number, probe: boolean): Promise<void> {
    // Two claims may overlap; the later one adds its deliveries after the earlier one, to keep the order.
    const previous = this.lastFill;
    let added!: () => void;
    this.lastFill = new Promise<void>((resolve) => (added = resolve));
    try {
      await this.closing;
      const claimed = await this.host.delivery.claim(this.agencyId, limit, LEASE_SECONDS, probe);
      this.more = !probe && claimed.length === limit;
      if (claimed.length === 0) return;
      const prepared = await this.host.delivery.prepare(this.agencyId, claimed);
      await previous;
      const stillWanted = this.host.running && (probe || this.circuit.state === 'closed');
      if (!stillWanted) {
        this.release(prepared);
        return;
      }
      const claimedAt = Date.now();
      if (probe && prepared.length > 0) this.probing = true;
      for (const row of prepared) this.ready.push({ ...row, claimedAt, probe });
      this.pump();
    } catch (error) {
      this.more = false;
      this.host.logger.warn(
        { agencyId: this.agencyId, err: message(error) },
        'webhook deliveries not claimed',
      );
    } finally {
      added();
    }
  }

  private async send(item: ReadyDelivery): Promise<void> {
    const result = await this.host.sender.send(item.message);
    this.inFlight--;
    this.host.freeSlot();
    if (item.probe) this.probing = false;
    if (result.aborted) {
      this.release([item]);
      return;
    }
    this.outcomes.push({
      requestId: item.requestId,
      event: item.event,
      deliveryId: item.message.deliveryId,
      error: result.ok ? null : (result.error ?? 'request failed'),
      retryInSeconds: retryDelaySeconds(item.attempts + 1),
      at: new Date(),
    });
    const change = this.circuit.record(result.ok);
    if (change === 'opened') {
      // Parked: what this lane had claimed goes back to the table, in its place in the order.
      this.release(this.ready.splice(0));
    }
    if (change === 'closed') {
      // The write makes the parked deliveries due; the next claim waits for it, so they go out in order.
      this.closing = this.flush().finally(() => (this.closing = undefined));
      this.more = true;
    } else {
      this.scheduleFlush(change !== undefined);
    }
    this.pump();
  }

  private release(items: DeliveryKey[]): void {
    for (const { requestId, event } of items) this.releases.push({ requestId, event });
    if (items.length) this.scheduleFlush(true);
  }

  private scheduleFlush(now: boolean): void {
    if (now || this.outcomes.length >= FLUSH_AT) {
      void this.flush();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), FLUSH_MS);
    }
  }

  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.flushing) return this.flushing.then(() => this.flush());
    const outcomes = this.outcomes;
    const releases = this.releases;
    if (outcomes.length === 0 && releases.length === 0) return Promise.resolve();
    this.outcomes = [];
    this.releases = [];
    this.flushing = this.write(outcomes, releases).finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(outcomes: AttemptOutcome[], releases: DeliveryKey[]): Promise<void> {
    const { delivery, settings, logger } = this.host;
    try {
      if (releases.length) await delivery.release(releases);
      const after = await delivery.recordOutcomes(this.agencyId, outcomes, {
        failures: settings.circuitFailures,
        probeIntervalSeconds: settings.probeIntervalSeconds,
      });
      if (after) this.recorded(after);
    } catch (error) {
      // PostgreSQL did not take them: kept for the next write (the leases keep the deliveries meanwhile).
      this.outcomes.unshift(...outcomes);
      this.releases.unshift(...releases);
      logger.warn(
        { agencyId: this.agencyId, err: message(error) },
        'webhook outcomes not recorded; retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (this.host.running) this.scheduleFlush(false);
    }
  }

  private recorded(after: CircuitAfter): void {
    const { logger } = this.host;
    if (after.before === 'closed' && after.state === 'open') {
      logger.warn(
        { agencyId: this.agencyId, consecutiveFailures: after.consecutiveFailures },
        'webhook circuit opened: deliveries parked',
      );
    } else if (after.before === 'open' && after.state === 'closed') {
      logger.log({ agencyId: this.agencyId }, 'webhook circuit closed: parked deliveries resume');
    }
    if (this.outcomes.length === 0) this.adopt(after.state, after.consecutiveFailures);
  }

  private adopt(state: Circuit['state'], consecutiveFailures: number): void {
    const was = this.circuit.state;
    this.circuit.adopt(state, consecutiveFailures);
    if (was === 'closed' && state === 'open') this.release(this.ready.splice(0));
    if (was === 'open' && state === 'closed') this.fill();
  }
}

function message(error: unknown): unknown {
  return error instanceof Error ? error.message : error;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
