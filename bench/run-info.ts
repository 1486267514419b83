/** Where and on what a benchmark ran: both benchmarks put this at the head of their results. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { round } from './matching-solver';

export const REPO = resolve(__dirname, '..');

/** A command's trimmed output, or null when it fails. */
export function sh(command: string, argv: string[]): string | null {
  try {
    return execFileSync(command, argv, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  memoryGiB: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machine(): Machine {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpus: Number(sh('nproc', [])) || os.availableParallelism(),
    cpuModel: model,
    node: process.version,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };
}

/** The date, the commit, and whether src/ or migrations/ differ from it (null: could not tell). */
export function runIdentity(): { date: string; commit: string; srcDiffersFromCommit: boolean | null } {
  let srcDiffersFromCommit: boolean | null;
  try {
    // Read-only; --no-optional-locks keeps git from touching the index while others work in the tree.
    execFileSync('git', ['--no-optional-locks', 'diff', '--quiet', 'HEAD', '--', 'src', 'migrations'], { cwd: REPO, stdio: 'ignore' });
    srcDiffersFromCommit = false;
  } catch (error) {
    srcDiffersFromCommit = (error as { status?: number }).status === 1 ? true : null;
  }
  return { date: new Date().toISOString(), commit: sh('git', ['rev-parse', '--short', 'HEAD']) ?? 'unknown', srcDiffersFromCommit };
}
