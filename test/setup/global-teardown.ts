import { Client } from 'pg';
import { BASE_URL } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.INKIND_TEST_DATABASE;
  if (!name || process.env.KEEP_TEST_DATABASE) return;
  const admin = new Client({ connectionString: `${BASE_URL}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
