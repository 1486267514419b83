import { Client } from 'pg';
import { ensureDatabaseExists, runMigrations } from '../../src/database/prepare-database';
import { BASE_URL, testDatabaseUrl } from './test-database';

export default async function globalSetup(): Promise<void> {
  const name = `inkind_test_${process.pid}`;
  const admin = new Client({ connectionString: `${BASE_URL}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();

  const url = testDatabaseUrl(name);
  await ensureDatabaseExists(url);
  await runMigrations(url);
  // Read by the test workers, which start after this function returns.
  process.env.DATABASE_URL = url;
  process.env.INKIND_TEST_DATABASE = name;
}
