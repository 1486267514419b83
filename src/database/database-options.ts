import { join } from 'node:path';
import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';

// A `date` column (a need's neededBy) is a calendar day, not an instant: keep
// PostgreSQL's 'YYYY-MM-DD' text instead of a Date at the server's midnight.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{js,ts}');
export const ENTITIES_GLOB = join(__dirname, '..', 'modules', '**', '*.entity.{js,ts}');

/** `poolSize`: 10 serve the API (the bare server of the benchmark has as many); a worker needs one per job it runs at once. */
export function databaseOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [ENTITIES_GLOB],
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // Failed queries reach the exception filter, which logs the unexpected ones.
    logging: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      // A statement stuck behind a lock must not hold a request forever.
      statement_timeout: 15_000,
      // And a server that stops answering (a network partition: the socket stays open, silent)
      // must not either: the client gives up a little after the server would have.
      query_timeout: 20_000,
      application_name: 'inkind',
      // This service's statements are short, or (an optimisation's read of a category) few and run
      // beside everything else on small machines. With PostgreSQL's defaults, a placement's read of
      // the standing proposals (cost ~3,500) ran in parallel: two background workers started for
      // each, 86 ms instead of 4.5 ms. A JIT compilation (above cost 100,000) costs more CPU than
      // such a statement saves. Both are off for this service's sessions only (this replaces any
      // `options` of DATABASE_URL).
      options: '-c max_parallel_workers_per_gather=0 -c jit=off',
    },
  };
}
