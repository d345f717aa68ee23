import { Module } from '@nestjs/common';

import { QueueMetrics } from './queue-metrics';
import { SystemQueues } from './system-queues';

/** The operator's view of the queues: the Bull Board's queues (mounted by bootstrap.ts) and their metrics. */
@Module({ providers: [SystemQueues, QueueMetrics], exports: [SystemQueues] })
export class OperationsModule {}
