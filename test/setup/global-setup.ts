import { Client } from 'pg';
import { ensureDatabaseExists, runMigrations } from '../../src/database/prepare-database';
import { BASE_URL, dropRunDatabases, templateName, testDatabaseUrl } from './test-database';

/**
 * Migrates a template database once per run; suites get copies of it. A shared copy serves
 * the suites that only use the HTTP API (DATABASE_URL); apps that run jobs get their own.
 */
export default async function globalSetup(): Promise<void> {
  const prefix = `inkind_t${process.pid}`;
  await dropRunDatabases(prefix);
  const template = templateName(prefix);
  await ensureDatabaseExists(testDatabaseUrl(template));
  await runMigrations(testDatabaseUrl(template));

  const shared = `${prefix}_shared`;
  const admin = new Client({ connectionString: `${BASE_URL}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${shared} TEMPLATE ${template}`);
  await admin.end();
  // Read by the test workers, which start after this function returns.
  process.env.INKIND_TEST_RUN = prefix;
  process.env.DATABASE_URL = testDatabaseUrl(shared);
}
