import { JobOrdersModule } from '@app/job-orders';
import { ReferenceModule } from '@app/reference';
import { RegulationModule } from '@app/regulation';
import { Module } from '@nestjs/common';

import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

@Module({
  imports: [JobOrdersModule, ReferenceModule, RegulationModule],
  providers: [ConsultationsRepository, ConsultationsService],
  exports: [ConsultationsService],
})
export class ConsultationsModule {}
