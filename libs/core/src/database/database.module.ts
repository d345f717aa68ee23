import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { types } from 'pg';

import { AuditLog } from '../audit/audit-log';
import { Outbox } from '../outbox/outbox';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { ReplicaReads } from './replica-reads';

// Counters and money amounts are bigint columns but stay far below 2^53: read them as numbers.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

const typeOrmRoot = TypeOrmModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => dataSourceOptions(config),
});

/**
 * The database, the audit log every state change writes to in its own transaction, the outbox, and the
 * read replicas of public reads.
 */
@Global()
@Module({
  imports: [typeOrmRoot],
  providers: [AuditLog, Outbox, ReplicaReads],
  exports: [typeOrmRoot, AuditLog, Outbox, ReplicaReads],
})
export class DatabaseModule {}
