export * from './agency-leads.service';
export * from './consultation-intake.service';
export * from './consultation.entity';
export * from './consultations.module';
export * from './dto/consultation.dto';
export * from './eligibility';
export * from './lead-delivery.service';
export type { OutboxMessage } from './outbox.repository';
