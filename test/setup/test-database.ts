import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Where the test databases live; each run names its own with a run id. */
export const BASE_URL = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

export function testDatabaseUrl(name: string): string {
  return `${BASE_URL}/${name}`;
}

/** The prefix of every database of this test run (set by the global setup). */
export function runPrefix(): string {
  const prefix = process.env.INKIND_TEST_RUN;
  if (!prefix) throw new Error('INKIND_TEST_RUN is not set: run the e2e tests through jest');
  return prefix;
}

export const templateName = (prefix: string) => `${prefix}_template`;

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${BASE_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one test app, copied from the migrated template of the run:
 * suites whose workers run jobs then never see each other's offers and needs.
 */
export async function createIsolatedDatabase(): Promise<string> {
  const prefix = runPrefix();
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${templateName(prefix)}`));
  return testDatabaseUrl(name);
}

export async function dropRunDatabases(prefix: string): Promise<void> {
  await withAdmin(async (client) => {
    const rows = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}\\_%`]);
    for (const { datname } of rows.rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}
