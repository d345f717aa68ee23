import { RANKING_QUEUE, RankingJob } from '@app/ranking';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';

import { ReassertedSchedules, Schedule } from '../reasserted-schedules';

const FOLD_EVERY_MS = 500;
/** Incidents leave their 24-month window without any event: the scores are recomputed from time to time. */
const RESCORE_EVERY_MS = 10 * 60_000;
const RECOMPUTE_EVERY_MS = 24 * 3600_000;

/** The fold, the periodic rescore and the daily full recompute. */
@Injectable()
export class RankingScheduler extends ReassertedSchedules {
  constructor(@InjectQueue(RANKING_QUEUE) queue: Queue) {
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
