import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';

const REASSERT_EVERY_MS = 5000;

export interface Schedule {
  name: string;
  everyMs: number;
}

/**
 * Repeating jobs of one queue, upserted at start (one schedule however many workers run) and asserted again
 * on a local timer: a flushed or replaced Redis loses them with everything else, and the reconciler that
 * re-drives what Redis lost is one of them.
 */
export abstract class ReassertedSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private asserting?: Promise<void>;

  protected constructor(private readonly queue: Queue) {}

  protected abstract schedules(): Schedule[];

  async onApplicationBootstrap(): Promise<void> {
    await this.assertSchedules();
    this.timer = setInterval(() => {
      this.asserting ??= this.assertSchedules()
        .catch((error: unknown) =>
          this.logger.warn(
            { err: error instanceof Error ? error.message : error },
            `could not re-assert the ${this.queue.name} schedules; retrying`,
          ),
        )
        .finally(() => (this.asserting = undefined));
    }, REASSERT_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.asserting;
  }

  private async assertSchedules(): Promise<void> {
    for (const { name, everyMs } of this.schedules()) {
      await this.queue.upsertJobScheduler(name, { every: everyMs }, { name });
    }
  }
}
