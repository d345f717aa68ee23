import { Client } from 'pg';

import { TEMPLATE_DATABASE, TEST_SERVER_URL } from './helpers/env';

export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: `${TEST_SERVER_URL}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
