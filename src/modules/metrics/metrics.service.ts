import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queue/catalogue';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The service's Prometheus metrics: HTTP, jobs, queues, the outbox, the database pool, the process. */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'inkind_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly jobs = new Counter({
    name: 'inkind_jobs_total',
    help: 'Jobs run by this process, by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly jobDuration = new Histogram({
    name: 'inkind_job_duration_seconds',
    help: 'Time to run a job, by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(
    private readonly moduleRef: ModuleRef,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry, prefix: 'inkind_' });
    const queues = Object.values(QueueName).map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    new Gauge({
      name: 'inkind_queue_jobs',
      help: 'Jobs in each queue by state (read from Redis at scrape time)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      collect: async function () {
        for (const queue of queues) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed').catch(() => undefined);
          if (!counts) continue;
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }
      },
    });
    const dataSource = this.dataSource;
    new Gauge({
      name: 'inkind_outbox_backlog',
      help: 'Outbox rows not yet relayed to the queues',
      registers: [this.registry],
      collect: async function () {
        const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`).catch(() => [undefined]);
        if (row) this.set(row.n);
      },
    });
    new Gauge({
      name: 'inkind_outbox_oldest_age_seconds',
      help: 'Age of the oldest outbox row not yet relayed (0 when none)',
      registers: [this.registry],
      collect: async function () {
        const [row] = await dataSource
          .query(`SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age FROM outbox WHERE sent_at IS NULL`)
          .catch(() => [undefined]);
        if (row) this.set(row.age);
      },
    });
    new Gauge({
      name: 'inkind_db_pool_connections',
      help: 'PostgreSQL pool connections by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect: function () {
        const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  recordHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Runs a job's handler, counting it and timing it by outcome; errors still reach BullMQ. */
  async timeJob<T>(queue: QueueName, job: Job, run: () => Promise<T>): Promise<T> {
    const end = this.jobDuration.startTimer({ queue, name: job.name });
    try {
      const result = await run();
      end({ outcome: 'completed' });
      this.jobs.inc({ queue, name: job.name, outcome: 'completed' });
      return result;
    } catch (error) {
      end({ outcome: 'failed' });
      this.jobs.inc({ queue, name: job.name, outcome: 'failed' });
      throw error;
    }
  }
}
