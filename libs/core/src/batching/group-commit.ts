/**
 * Coalesces concurrent calls into batches (group commit): `submit` queues an item, and the queue goes to `run` as one
 * batch as soon as fewer than `maxInFlight` batches are running (at most `maxBatch` items each). Under
 * light load a batch holds one item and waits for nothing but the current event-loop turn; under load the
 * items that arrive while a batch runs go together in the next one.
 *
 * `run` returns one outcome per item, in order: a value, or an error for that item alone. When `run`
 * throws or returns the wrong number of outcomes, every caller of the batch gets the error.
 */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<Outcome<O>[]>,
    private readonly options: { maxBatch: number; maxInFlight: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items queued or in a running batch are not counted; for tests and diagnostics. */
  get queued(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // The rest of this event-loop turn (other sockets read in the same poll) joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.execute(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async execute(batch: Pending<I, O>[]): Promise<void> {
    let outcomes: Outcome<O>[];
    try {
      outcomes = await this.run(batch.map((pending) => pending.item));
      if (outcomes.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} got ${outcomes.length} outcomes`);
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i].resolve(outcome.value);
      else batch[i].reject(outcome.error);
    });
  }
}
