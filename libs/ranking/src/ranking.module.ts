import { AgenciesModule } from '@app/agencies';
import { Module } from '@nestjs/common';

import { RankingRepository } from './ranking.repository';
import { RankingService } from './ranking.service';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [AgenciesModule],
  providers: [RankingRepository, RankingService, ReviewsRepository, ReviewsService],
  exports: [RankingService, ReviewsService],
})
export class RankingModule {}
