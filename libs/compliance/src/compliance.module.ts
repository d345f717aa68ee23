import { Module } from '@nestjs/common';

import { FlagsRepository } from './flags.repository';
import { FlagsService } from './flags.service';

@Module({
  providers: [FlagsRepository, FlagsService],
  exports: [FlagsService],
})
export class ComplianceModule {}
