import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { AgenciesRepository } from './agencies.repository';
import { AgenciesService } from './agencies.service';

@Module({
  imports: [ReferenceModule],
  providers: [AgenciesRepository, AgenciesService],
  exports: [AgenciesService],
})
export class AgenciesModule {}
