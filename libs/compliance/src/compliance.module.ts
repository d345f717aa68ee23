import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { FlagsRepository } from './flags.repository';
import { FlagsService } from './flags.service';
import { LegalCapsService } from './legal-caps.service';

@Module({
  imports: [ReferenceModule],
  providers: [FlagsRepository, FlagsService, LegalCapsService],
  exports: [FlagsService, LegalCapsService],
})
export class ComplianceModule {}
