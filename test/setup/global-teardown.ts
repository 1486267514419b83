import { dropRunDatabases } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const prefix = process.env.INKIND_TEST_RUN;
  if (!prefix || process.env.KEEP_TEST_DATABASE) return;
  await dropRunDatabases(prefix);
}
