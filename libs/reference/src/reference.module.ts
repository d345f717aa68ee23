import { Module } from '@nestjs/common';

import { ReferenceRepository } from './reference.repository';
import { ReferenceService } from './reference.service';

@Module({ providers: [ReferenceRepository, ReferenceService], exports: [ReferenceService] })
export class ReferenceModule {}
