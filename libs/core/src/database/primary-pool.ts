import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The `pg` pool of the primary behind a TypeORM data source, for the few hot paths that skip TypeORM's
 * query runner (measured at about half the throughput of the driver's pool). `master` is the driver's
 * declared pool of the primary, also when read replicas are configured.
 */
export function primaryPool(dataSource: DataSource): Pool {
  const driver = dataSource.driver;
  if (!(driver instanceof PostgresDriver)) throw new Error('primaryPool needs the PostgreSQL driver');
  return driver.master as Pool;
}
