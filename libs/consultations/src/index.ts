export * from './agency-leads.service';
export * from './consultation-intake.service';
export * from './consultation.entity';
export * from './consultations.messages';
export * from './consultations.queues';
export * from './consultations.settings';
export * from './consultations.module';
export * from './dto/consultation.dto';
export * from './eligibility';
export * from './lead-delivery.service';
export * from './webhook-sender';
export * from './webhook-circuit';
export type {
  AttemptOutcome,
  CircuitAfter,
  CircuitRules,
  CircuitState,
  ClaimedDelivery,
  DeliveryKey,
  DueLane,
} from './webhooks.repository';
export * from './applicant-requests.service';
export * from './consent';
export * from './tracking-code';
