// `npm run check:consistency`: runs every invariant check against DATABASE_URL and exits
// non-zero with a report when one fails.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { CHECKS, findViolations } from '../src/database/consistency';
import { databaseOptions } from '../src/database/database-options';

async function main(): Promise<number> {
  const config = loadConfig();
  const dataSource = new DataSource({ ...databaseOptions(config.DATABASE_URL), entities: [], migrations: [] });
  await dataSource.initialize();
  try {
    const violations = await findViolations(dataSource);
    for (const check of Object.keys(CHECKS)) {
      const found = violations.filter((violation) => violation.check === check);
      console.log(`${found.length === 0 ? 'ok  ' : 'FAIL'} ${check}${found.length ? `: ${found.length}` : ''}`);
      for (const violation of found.slice(0, 20)) console.log(`       ${violation.id} ${violation.detail}`);
    }
    return violations.length === 0 ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
