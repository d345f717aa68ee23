import { RANKING_QUEUE, RankingJob, RankingService } from '@app/ranking';
import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';

// The full recompute of a large history takes seconds: the job's lock must outlast it.
@Processor(RANKING_QUEUE, { lockDuration: 120_000 })
export class RankingProcessor extends LoggedWorkerHost {
  constructor(private readonly ranking: RankingService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as RankingJob) {
      case RankingJob.Fold:
        return { folded: (await this.ranking.foldPending()) ?? 'busy' };
      case RankingJob.Rescore:
        return { rescored: await this.ranking.rescore() };
      case RankingJob.Recompute: {
        const started = Date.now();
        const result = await this.ranking.recomputeAll();
        this.logger.log({ ...result, ms: Date.now() - started }, 'ranking recomputed from raw data');
        return result;
      }
      default:
        this.logger.warn({ name: job.name }, 'unknown ranking job ignored');
        return undefined;
    }
  }
}
