import { QueueName } from '@app/core';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';

import { ReassertedSchedules, Schedule } from '../reasserted-schedules';

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

/** The fold, the periodic rescore and the daily full recompute. */
@Injectable()
export class RankingScheduler extends ReassertedSchedules {
  constructor(@InjectQueue(QueueName.Ranking) queue: Queue) {
    super(queue);
  }

  protected schedules(): Schedule[] {
    return [
      { name: RankingJob.Fold, everyMs: FOLD_EVERY_MS },
      { name: RankingJob.Rescore, everyMs: RESCORE_EVERY_MS },
      { name: RankingJob.Recompute, everyMs: RECOMPUTE_EVERY_MS },
    ];
  }
}
