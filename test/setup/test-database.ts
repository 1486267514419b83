/** The database of one test run: fresh each run, removed at its end. */
export const BASE_URL = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

export function testDatabaseUrl(name: string): string {
  return `${BASE_URL}/${name}`;
}
