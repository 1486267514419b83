import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { configureApp, createAdapter } from '../../src/app';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { Clock } from '../../src/common/time/clock';
import { QueueName } from '../../src/queue/catalogue';
import { createIsolatedDatabase } from '../setup/test-database';

export const ADMIN = { email: 'admin@inkind.test', password: 'admin-password-for-tests' };

/** A clock the test moves by hand. */
export class TestClock extends Clock {
  constructor(private current = new Date('2026-12-01T09:00:00+01:00')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  clock: TestClock;
  db: DataSource;
  /** Waits until the outbox is relayed and no job is due (apps started with jobs only). */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Run the workers, the outbox relay and the queues, on a database and a queue prefix of
   * this app's own. Without it the app serves HTTP only (APP_ROLE=api) on the run's shared database.
   */
  jobs?: boolean;
  /** A database of this app's own, for a suite that compares whole tables before and after. */
  ownDatabase?: boolean;
  /** Where the app's log lines go (by default: only errors, to standard output). */
  logDestination?: NodeJS.WritableStream;
}

/** The real application on a test database, with a hand-moved clock; requests go through Fastify's inject. */
export async function startApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestApp> {
  const jobEnv: Record<string, string> = options.jobs
    ? {
        APP_ROLE: 'all',
        DATABASE_URL: await createIsolatedDatabase(),
        QUEUE_PREFIX: `inkind-test-${randomBytes(4).toString('hex')}`,
        MATCHING_DEBOUNCE_MS: '5',
        MATCHING_MIN_INTERVAL_MS: '0',
        MATCHING_SWEEP_MS: '0',
        PICKUP_ESCALATION_MS: '0',
        OUTBOX_POLL_MS: '50',
      }
    : { APP_ROLE: 'api', ...(options.ownDatabase ? { DATABASE_URL: await createIsolatedDatabase() } : {}) };
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Suites register and log in many accounts from one address; the rate-limit suite sets its own.
    LOG_LEVEL: 'error',
    RATE_LIMIT_AUTH_PER_IP: '100000',
    RATE_LIMIT_LOGIN_PER_EMAIL: '100000',
    QUEUE_PREFIX: `inkind-test-${randomBytes(4).toString('hex')}`,
    ...jobEnv,
    ...env,
  });
  const clock = new TestClock();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, { logDestination: options.logDestination })] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  moduleRef.useLogger(['error', 'warn']);
  const app = await configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config), { logger: ['error'] }), config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = app.get(DataSource);

  const drain = async (timeoutMs = 20_000): Promise<void> => {
    if (!config.runsWorkers) throw new Error('drain() needs an app started with { jobs: true }');
    const queues = Object.values(QueueName).map((name) => app.get<Queue>(getQueueToken(name)));
    const deadline = Date.now() + timeoutMs;
    let quietRounds = 0;
    while (Date.now() < deadline) {
      const [{ pending }] = await db.query(`SELECT count(*)::int AS pending FROM outbox WHERE sent_at IS NULL`);
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')));
      // A delayed job counts while it is due within a second (a debounce); one planned for
      // later (a reminder tomorrow evening) is work of the future, not of now.
      const delayed = await Promise.all(queues.map((queue) => queue.getJobs(['delayed'])));
      const dueSoon = delayed.flat().filter((job) => job.timestamp + (job.opts.delay ?? 0) <= Date.now() + 1_000).length;
      const busy = pending + dueSoon + counts.reduce((sum, count) => sum + Object.values(count).reduce((a, b) => a + b, 0), 0);
      // Twice quiet in a row: a job that finishes may hand over to the one waiting behind it.
      quietRounds = busy === 0 ? quietRounds + 1 : 0;
      if (quietRounds >= 2) return;
      await pause(10);
    }
    throw new Error(`the queues did not drain within ${timeoutMs} ms`);
  };

  return { app, config, clock, db, drain, close: () => app.close() };
}
