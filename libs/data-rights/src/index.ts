export * from './data-rights.module';
export * from './data-rights.queues';
export * from './data-rights.service';
export * from './data-rights.settings';
export * from './dto/applicant-data.dto';
export * from './erasure-request.entity';
