import { QueueName } from '@app/core';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';

/** Job names travel inside Redis with every job: never rename one. */
export enum RankingJob {
  Fold = 'fold-ranking-events',
  Rescore = 'rescore-ranking',
  Recompute = 'recompute-ranking',
}

const FOLD_EVERY_MS = 500;
/** Incidents leave their 24-month window without any event: the scores are recomputed from time to time. */
const RESCORE_EVERY_MS = 10 * 60_000;
const RECOMPUTE_EVERY_MS = 24 * 3600_000;
const REASSERT_EVERY_MS = 5000;

/** Registers the ranking's repeating jobs, re-asserted like the maintenance schedules. */
@Injectable()
export class RankingScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RankingScheduler.name);
  private timer?: NodeJS.Timeout;
  private asserting?: Promise<void>;

  constructor(@InjectQueue(QueueName.Ranking) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.assertSchedules();
    this.timer = setInterval(() => {
      this.asserting ??= this.assertSchedules()
        .catch((error: unknown) =>
          this.logger.warn(
            { err: error instanceof Error ? error.message : error },
            'could not re-assert ranking schedules; retrying',
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
    await this.queue.upsertJobScheduler(RankingJob.Fold, { every: FOLD_EVERY_MS }, { name: RankingJob.Fold });
    await this.queue.upsertJobScheduler(
      RankingJob.Rescore,
      { every: RESCORE_EVERY_MS },
      { name: RankingJob.Rescore },
    );
    await this.queue.upsertJobScheduler(
      RankingJob.Recompute,
      { every: RECOMPUTE_EVERY_MS },
      { name: RankingJob.Recompute },
    );
  }
}
