import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The id of the request (or of the job) whose work is running, so that the outbox rows it
 * asks for, and the jobs made of them, carry it: one id finds a request and all it caused.
 */
const context = new AsyncLocalStorage<{ requestId: string }>();

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

export function withRequestId<T>(requestId: string | undefined, run: () => T): T {
  return requestId ? context.run({ requestId }, run) : run();
}

/** For the jobs: the id of the request that caused the job, else the job's own. */
export function requestIdOfJob(job: { id?: string; data?: unknown }): string | undefined {
  const data = job.data as { requestId?: unknown } | undefined;
  return typeof data?.requestId === 'string' ? data.requestId : job.id ? `job:${job.id}` : undefined;
}
