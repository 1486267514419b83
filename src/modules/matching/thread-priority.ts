import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of the solver's thread: below the event loops and PostgreSQL (0). */
export const SOLVER_NICE = 10;

/**
 * Lowers the priority of the calling thread only (a nice value is per thread on Linux, and
 * /proc/thread-self names the caller's thread id). Elsewhere, or if the system refuses, nothing
 * changes: the thread keeps the process's priority.
 */
export function lowerThisThreadsPriority(nice = SOLVER_NICE): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, nice);
  } catch {
    // Not Linux, or not allowed.
  }
}
