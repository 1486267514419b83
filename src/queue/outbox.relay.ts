import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/time/clock';
import { JobName, jobOptions, JobRequest, QueueName } from './catalogue';
import { OUTBOX_CHANNEL } from './outbox.service';

const BATCH = 200;
const ADD_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 5_000;

interface OutboxRow {
  id: string;
  queue: QueueName;
  job_name: JobName;
  payload: unknown;
  request_id: string | null;
  run_at: Date | null;
}

/**
 * Moves outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of
 * relays can run side by side; each job's id is its outbox id, so a row relayed twice (a crash
 * between the add and the commit) is still one job. While Redis is away the rows wait, and the
 * relay tries again with a growing pause. It wakes on PostgreSQL NOTIFY and polls as a fallback.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues: Record<QueueName, Queue>;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: Client;
  private failures = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @InjectQueue(QueueName.Matching) matching: Queue,
    @InjectQueue(QueueName.Placement) placement: Queue,
    @InjectQueue(QueueName.Notifications) notifications: Queue,
    @InjectQueue(QueueName.Pickups) pickups: Queue,
  ) {
    this.queues = {
      [QueueName.Matching]: matching,
      [QueueName.Placement]: placement,
      [QueueName.Notifications]: notifications,
      [QueueName.Pickups]: pickups,
    };
  }

  onApplicationBootstrap(): void {
    this.running = true;
    void this.listen();
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  /** Relays one batch; answers how many rows it moved. Public for tests and benchmarks. */
  async relayBatch(): Promise<number> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, queue, job_name, payload, run_at, request_id FROM outbox WHERE sent_at IS NULL
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      const ids = rows.map((row) => row.id);
      if (rows.length === 0) return { moved: 0 };
      try {
        await this.addAll(rows);
      } catch (error) {
        // Kept for the next try, with what went wrong (the transaction commits this, not a send).
        await manager.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)`, [
          ids,
          String((error as Error).message).slice(0, 500),
        ]);
        return { moved: 0, error: error as Error };
      }
      await manager.query(`UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY($1)`, [ids]);
      return { moved: rows.length };
    });
    if (outcome.error) throw outcome.error;
    return outcome.moved;
  }

  private async addAll(rows: OutboxRow[]): Promise<void> {
    const tuning = { matchingDebounceMs: this.config.MATCHING_DEBOUNCE_MS };
    const byQueue = new Map<QueueName, OutboxRow[]>();
    for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
    for (const [queueName, queueRows] of byQueue) {
      const queue = this.queues[queueName];
      if (!queue) throw new Error(`outbox row for unknown queue ${queueName}`);
      // Without a connection the client would queue commands until Redis returns: refuse at once instead.
      const client = await withTimeout(queue.getBackend().client, ADD_TIMEOUT_MS);
      if (client.status !== 'ready') throw new Error(`Redis is not ready (${client.status})`);
      const jobs = queueRows.map((row) => {
        const request = { name: row.job_name, data: row.payload } as JobRequest;
        const opts = { ...jobOptions(request, tuning), jobId: row.id };
        // A job asked for later waits in BullMQ's delayed set; the delay counts from the service's clock.
        if (row.run_at) opts.delay = Math.max(0, row.run_at.getTime() - this.clock.now().getTime());
        // The request that caused it travels with the job (an id, never personal data).
        const data = row.request_id ? { ...(row.payload as object), requestId: row.request_id } : row.payload;
        return { name: row.job_name, data, opts };
      });
      await withTimeout(queue.addBulk(jobs), ADD_TIMEOUT_MS);
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.relayBatch();
        if (this.failures > 0) this.logger.log('Outbox relay recovered');
        this.failures = 0;
      } catch (error) {
        if (this.failures === 0) this.logger.warn(`Outbox relay paused: ${(error as Error).message}`);
        this.failures++;
      }
      if (moved === BATCH) continue;
      const pause = this.failures > 0 ? Math.min(100 * 2 ** this.failures, MAX_BACKOFF_MS) : this.config.OUTBOX_POLL_MS;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** A dedicated connection that LISTENs for new outbox rows; reconnects after a loss. */
  private async listen(): Promise<void> {
    while (this.running) {
      const client = new Client({ connectionString: this.config.DATABASE_URL, connectionTimeoutMillis: 5_000 });
      try {
        await client.connect();
        this.listener = client;
        client.on('notification', () => this.wake?.());
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        await new Promise<void>((resolve) => {
          client.once('error', () => resolve());
          client.once('end', () => resolve());
        });
      } catch {
        // PostgreSQL is away: the poll keeps the relay going meanwhile.
      }
      await client.end().catch(() => undefined);
      if (this.running) await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
