import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { Module } from '@nestjs/common';

import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

@Module({
  imports: [JobOrdersModule, ReferenceModule],
  providers: [ConsultationsRepository, ConsultationsService],
  exports: [ConsultationsService],
})
export class ConsultationsModule {}
