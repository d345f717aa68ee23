/**
 * A child of `npm run bench:open-data`: boots the open-data module as the worker does (no other jobs), says
 * it is ready, takes the job-orders snapshot of the day it is sent, answers its figures and exits. Its own
 * process, so that its memory is measured alone.
 */
import 'reflect-metadata';

import { AppConfigModule, DatabaseModule, RedisModule } from '@app/core';
import { OpenDataModule, OpenDataSnapshots } from '@app/open-data';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';

@Module({ imports: [AppConfigModule, DatabaseModule, RedisModule, OpenDataModule] })
class SnapshotBenchModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(SnapshotBenchModule, { logger: ['error', 'warn'] });
  const snapshots = app.get(OpenDataSnapshots);
  const dataSource = app.get(DataSource);
  process.send!('ready');
  const { date } = await new Promise<{ date: string }>((resolve) =>
    process.once('message', (message) => resolve(message as { date: string })),
  );
  if (!(await snapshots.take('job-orders', date))) throw new Error(`a snapshot of ${date} exists already`);
  const rows: { rows: number; bytes: number; stored: number }[] = await dataSource.query(
    `SELECT max(row_count)::int AS rows, sum(bytes)::float8 AS bytes, sum(gzip_bytes)::float8 AS stored
     FROM open_data_snapshots WHERE dataset = 'job-orders' AND snapshot_date = $1`,
    [date],
  );
  process.send!(rows[0]);
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
