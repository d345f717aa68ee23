export * from './dto/job-order.dto';
export * from './job-order.entity';
export * from './job-orders.module';
export * from './job-orders.service';
export * from './listing-cache';
export * from './view-counts.service';
export type { OrderEligibilityRow } from './job-orders.repository';
export * from './agency-job-orders.service';
export * from './dto/agency-job-order.dto';
