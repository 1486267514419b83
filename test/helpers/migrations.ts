import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The names of all migrations, in order, as TypeORM records them (class name = file name's parts swapped). */
export function allMigrationNames(): string[] {
  return readdirSync(join(__dirname, '..', '..', 'migrations'))
    .filter((file) => /^\d+-[A-Za-z]+\.ts$/.test(file))
    .sort()
    .map((file) => {
      const [, timestamp, name] = /^(\d+)-([A-Za-z]+)\.ts$/.exec(file)!;
      return `${name}${timestamp}`;
    });
}
