import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database-options';

// Any constant shared by every instance: the key of the advisory lock that
// serialises migrations when several instances start at once.
const MIGRATION_LOCK_KEY = 7_302_114_001;

const logger = new Logger('Database');

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
        logger.log(`Created database ${name}`);
      } catch (error) {
        // Another instance created it between our check and our CREATE.
        if (!isPgError(error, ['42P04', '23505'])) throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations, holding a PostgreSQL advisory lock so that two
 * instances starting together run them once, one after the other.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const options = databaseOptions(databaseUrl);
  // No statement timeout here: waiting for another instance's migrations is expected.
  const dataSource = new DataSource({ ...options, entities: [], extra: { ...options.extra, max: 2, statement_timeout: 0 } });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      for (const migration of applied) logger.log(`Applied migration ${migration.name}`);
      return applied.map((migration) => migration.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}

export async function prepareDatabase(databaseUrl: string): Promise<void> {
  await ensureDatabaseExists(databaseUrl);
  await runMigrations(databaseUrl);
}

export function isPgError(error: unknown, codes: string[]): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}
