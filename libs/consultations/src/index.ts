export * from './consultation.entity';
export * from './consultations.module';
export * from './consultations.service';
export * from './dto/consultation.dto';
export * from './eligibility';
