import 'reflect-metadata';

import { dataSourceOptions, loadConfig, loadDotEnv } from '@app/core';
import { DataSource } from 'typeorm';

async function main(): Promise<void> {
  loadDotEnv();
  const dataSource = await new DataSource(dataSourceOptions(loadConfig())).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}.` : 'Schema up to date.');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
