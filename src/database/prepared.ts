import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * Runs a named prepared statement: PostgreSQL parses and plans it once per connection instead of on
 * every call (TypeORM's query() sends unnamed ones). Inside a transaction it runs on the
 * transaction's connection. For the statements of the hottest requests (the wishlist, the caller's
 * identity, writing an offer with its history and outbox rows): on the 2-core benchmark machine
 * PostgreSQL's planning is CPU taken from the API and the database alike. A name must always be
 * used with the same text.
 */
export async function prepared<T>(on: EntityManager | DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const manager = on instanceof DataSource ? on.manager : on;
  const runner = manager.queryRunner as PostgresQueryRunner | undefined;
  // A transaction's runner is connected already: connect() answers its connection.
  const client: Pool | PoolClient = runner ? ((await runner.connect()) as PoolClient) : ((manager.connection.driver as PostgresDriver).master as Pool);
  return (await client.query({ name, text, values })).rows as T[];
}
