import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { currentRequestId } from '../common/logging/request-context';
import { prepared } from '../database/prepared';
import { JOB_QUEUE, JobRequest } from './catalogue';

export const OUTBOX_CHANNEL = 'inkind_outbox';

/**
 * Asks for background work in the transaction of the change that causes it. The row
 * commits or rolls back with the change; the relay moves it to BullMQ afterwards.
 */
@Injectable()
export class OutboxService {
  async add(manager: EntityManager, ...requests: JobRequest[]): Promise<void> {
    if (requests.length === 0) return;
    // The NOTIFY is delivered at commit, to every relay that listens: no waiting for the next poll.
    await prepared(
      manager,
      'outbox-add',
      `WITH added AS (
         INSERT INTO outbox (queue, job_name, payload, run_at, request_id)
         SELECT *, $5::text FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[]))
       SELECT pg_notify($6, '')`,
      [
        requests.map((r) => JOB_QUEUE[r.name]),
        requests.map((r) => r.name),
        requests.map((r) => JSON.stringify(r.data)),
        requests.map((r) => r.runAt ?? null),
        currentRequestId() ?? null,
        OUTBOX_CHANNEL,
      ],
    );
  }

  /** Forgets rows relayed long ago (the jobs themselves are kept by BullMQ's own retention). */
  async prune(manager: EntityManager, olderThanDays = 7): Promise<number> {
    const rows: unknown[] = await manager.query(
      `WITH gone AS (DELETE FROM outbox WHERE sent_at < now() - make_interval(days => $1) RETURNING 1) SELECT count(*) FROM gone`,
      [olderThanDays],
    );
    return Number((rows[0] as { count: string }).count);
  }
}
