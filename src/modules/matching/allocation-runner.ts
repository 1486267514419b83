import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { allocate, AllocationInput, AllocationResult } from './allocation';

/** Below this many offer × need pairs an allocation takes a few milliseconds: solved in place. */
export const INLINE_PAIRS = 20_000;

/**
 * Solves allocations without blocking the event loop that also serves HTTP: large ones go to
 * a worker thread (one, started on first use, kept for the next ones), at a lower priority
 * than the event loops and PostgreSQL (thread-priority.ts).
 */
@Injectable()
export class AllocationRunner implements OnModuleDestroy {
  private readonly logger = new Logger(AllocationRunner.name);
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: AllocationResult) => void; reject: (e: Error) => void }>();

  run(input: AllocationInput): Promise<AllocationResult> {
    if (input.offers.length * input.needs.length < INLINE_PAIRS) return Promise.resolve(allocate(input));
    return this.inThread(input);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private inThread(input: AllocationInput): Promise<AllocationResult> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const compiled = __filename.endsWith('.js');
    const script = join(__dirname, `allocation.worker.${compiled ? 'js' : 'ts'}`);
    // From TypeScript sources (tests, ts-node) the thread compiles its module with ts-node first.
    const worker = compiled
      ? new Worker(script)
      : new Worker(`require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(script)});`, { eval: true });
    worker.unref();
    worker.on('message', (message: { id: number; result?: AllocationResult; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiting) return;
      if (message.error !== undefined) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result as AllocationResult);
    });
    worker.on('error', (error) => {
      this.logger.error(`allocation thread failed: ${error.message}`);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}
