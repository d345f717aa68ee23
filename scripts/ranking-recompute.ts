import 'reflect-metadata';

import { dataSourceOptions, loadConfig, loadDotEnv } from '@app/core';
import { DataSource } from 'typeorm';

import { RankingRepository } from '../libs/ranking/src/ranking.repository';

/** `npm run ranking:recompute`: rebuilds the ranking from the raw tables, as the worker's daily job does. */
async function main(): Promise<void> {
  loadDotEnv();
  const dataSource = await new DataSource(dataSourceOptions(loadConfig())).initialize();
  try {
    const started = Date.now();
    const result = await new RankingRepository(dataSource).recomputeAll(new Date());
    console.log(
      `Ranking recomputed from raw data in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${result.contacts} people, ${result.consumedEvents} queued events consumed.`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
