import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { findViolations } from '../../src/database/consistency';
import { JobName, QueueName } from '../../src/queue/catalogue';
import { AppProcess, buildDir, http, until } from '../helpers/app-process';
import { TcpProxy } from '../helpers/tcp-proxy';
import { ADMIN } from '../helpers/test-app';
import { createIsolatedDatabase } from '../setup/test-database';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PASSWORD = 'a-long-enough-password';
export const CATEGORIES = ['school-supplies', 'clothing-linen', 'toys-crafts'] as const;

/** A database of the suite's own (copied from the run's migrated template), and SQL access to it. */
export async function faultDatabase(): Promise<{ url: string; db: DataSource }> {
  const url = await createIsolatedDatabase();
  const db = new DataSource({ type: 'postgres', url, entities: [], extra: { max: 4 } });
  await db.initialize();
  // Pickups are planned within receiving hours, which exclude Sundays: the suites may run any day.
  await db.query(`UPDATE houses SET receiving_hours = '{"days": [1, 2, 3, 4, 5, 6, 7], "from": "00:00", "to": "23:59"}'`);
  return { url, db };
}

export const queuePrefix = () => `inkind-faults-${randomBytes(4).toString('hex')}`;

/** An offer available from now on for five days, so that a pickup can be planned at once. */
export function offerBody(categoryCode: string, title: string, quantity = 2) {
  const from = new Date(Date.now() - 60_000);
  const to = new Date(Date.now() + 5 * 24 * 3_600_000);
  return {
    categoryCode,
    title,
    quantity,
    condition: 'good',
    size: 'small',
    pickupAddress: { street: 'Kerkstraat 12', postcode: '9000', town: 'Gent' },
    availability: [{ from: from.toISOString(), to: to.toISOString() }],
  };
}

export function needBody(houseSlug: string, categoryCode: string, quantity = 1_000) {
  return { houseSlug, categoryCode, title: `Wanted: ${categoryCode}`, quantity, urgency: 'normal' };
}

export interface People {
  admin: string;
  coordinators: Record<'hejmo' | 'olivier', string>;
  donors: string[];
  volunteer: string;
}

async function expectStatus(what: string, call: Promise<{ status: number; body: any; error?: string }>, status: number) {
  const res = await call;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.error ?? JSON.stringify(res.body)}`);
  return res.body;
}

async function login(base: string, email: string): Promise<string> {
  return (await expectStatus(`login ${email}`, http(base, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } }), 200)).accessToken;
}

/** The admin, a coordinator of two houses, donors and a volunteer with a van near Gent, logged in. */
export async function people(base: string, donors = 2): Promise<People> {
  const admin = (await expectStatus('admin login', http(base, 'POST', '/api/auth/login', { body: ADMIN }), 200)).accessToken;
  const account = async (role: string, extra: Record<string, unknown> = {}) => {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.be`;
    await expectStatus(`register ${role}`, http(base, 'POST', '/api/auth/register', { body: { email, password: PASSWORD, name: `Fault ${role}`, role, ...extra } }), 201);
    return login(base, email);
  };
  const coordinator = async (houseSlug: string) => {
    const email = `coord-${houseSlug}-${randomUUID().slice(0, 8)}@example.be`;
    await expectStatus(
      'create coordinator',
      http(base, 'POST', '/api/users', { token: admin, body: { email, password: PASSWORD, name: `Coordinator ${houseSlug}`, role: 'coordinator', houseSlug } }),
      201,
    );
    return login(base, email);
  };
  return {
    admin,
    coordinators: { hejmo: await coordinator('hejmo'), olivier: await coordinator('olivier') },
    donors: await Promise.all(Array.from({ length: donors }, () => account('donor'))),
    volunteer: await account('volunteer', { vehicle: 'van', postcode: '9000', town: 'Gent' }),
  };
}

/** Posts the needs that every offer of these categories can go to (two houses, plenty of quantity). */
export async function postNeeds(base: string, who: People, categories: readonly string[] = CATEGORIES): Promise<void> {
  for (const category of categories) {
    for (const house of ['hejmo', 'olivier'] as const) {
      await expectStatus('post need', http(base, 'POST', '/api/needs', { token: who.coordinators[house], body: needBody(house, category) }), 201);
    }
  }
}

/** Waits until the offer has a proposal; answers it. */
export async function proposalOf(base: string, token: string, offerId: string, timeoutMs = 20_000): Promise<{ id: string; houseSlug: 'hejmo' | 'olivier' }> {
  const items = await until(
    `a proposal for offer ${offerId}`,
    async (): Promise<Array<{ id: string; houseSlug: 'hejmo' | 'olivier' }>> =>
      (await http(base, 'GET', `/api/matches?offerId=${offerId}&status=proposed`, { token })).body?.items ?? [],
    (found) => found.length > 0,
    timeoutMs,
  );
  return items[0];
}

/** BullMQ's view of a prefix's queues, straight on Redis (not through any proxy of the test). */
export class QueueInspector {
  readonly queues: Record<QueueName, Queue>;
  private readonly redis: Redis;

  constructor(prefix: string) {
    const url = new URL(REDIS_URL);
    const connection = { host: url.hostname, port: Number(url.port || 6379) };
    this.queues = Object.fromEntries(Object.values(QueueName).map((name) => [name, new Queue(name, { connection, prefix })])) as Record<QueueName, Queue>;
    this.redis = new Redis(connection);
  }

  async counts(): Promise<Record<string, number>> {
    const total: Record<string, number> = {};
    for (const queue of Object.values(this.queues)) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children');
      for (const [state, count] of Object.entries(counts)) total[state] = (total[state] ?? 0) + count;
    }
    return total;
  }

  /** Jobs being processed that a worker started after `since` (ms epoch). */
  async activeSince(since: number): Promise<Job[]> {
    const active = await Promise.all(Object.values(this.queues).map((queue) => queue.getActive()));
    return active.flat().filter((job) => (job.processedOn ?? 0) >= since);
  }

  /** The id of the last event of every queue: it changes with every move of any job. */
  async lastEvents(): Promise<string> {
    const ids = await Promise.all(
      Object.values(this.queues).map(async (queue) => (await this.redis.xrevrange(queue.keys.events, '+', '-', 'COUNT', 1))[0]?.[0] ?? '-'),
    );
    return ids.join(' ');
  }

  async failed(): Promise<Job[]> {
    return (await Promise.all(Object.values(this.queues).map((queue) => queue.getFailed()))).flat();
  }

  async state(queue: QueueName, id: string): Promise<string> {
    return this.queues[queue].getJobState(id);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((queue) => queue.close()));
    this.redis.disconnect();
  }

  async obliterate(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((queue) => queue.obliterate({ force: true }).catch(() => undefined)));
  }
}

/**
 * Nothing waiting in the outbox or in the queues but reminders planned for later, and nothing
 * moved while that was checked. The reads cannot be one snapshot (PostgreSQL, then each queue in
 * turn), so a job moving on between two of them (delayed, then waiting when its queue is read
 * again) or a job finishing and asking for the next one could slip through; every move of a job
 * is written to its queue's event stream, so an unchanged last event on every queue across the
 * whole check proves the quiet was real.
 */
export async function settled(db: DataSource, inspector: QueueInspector): Promise<boolean> {
  const before = await inspector.lastEvents();
  const [{ pending }] = await db.query(`SELECT count(*)::int AS pending FROM outbox WHERE sent_at IS NULL`);
  if (pending > 0) return false;
  const counts = await inspector.counts();
  if (counts.waiting + counts.active + counts.prioritized > 0) return false;
  const delayed = await Promise.all(Object.values(inspector.queues).map((queue) => queue.getDelayed()));
  const quiet = delayed.flat().every((job) => job.name === JobName.SendReminder && job.timestamp + (job.opts.delay ?? 0) > Date.now() + 1_000);
  return quiet && (await inspector.lastEvents()) === before;
}

/**
 * After the faults, in SQL: every relayed row became a job that ran; every offer that can go to a
 * need has a proposal; every effect exists once: a pickup per accepted match's offer and house,
 * one thank-you per acceptance, one reminder per pickup and person, one notice per proposal and
 * coordinator. Answers the list of what is wrong (empty when all is well).
 */
export async function lostOrDoubled(db: DataSource, inspector: QueueInspector): Promise<string[]> {
  const problems: string[] = [];
  const report = async (what: string, sql: string) => {
    const rows: unknown[] = await db.query(sql);
    if (rows.length > 0) problems.push(`${what}: ${JSON.stringify(rows.slice(0, 5))}${rows.length > 5 ? ` (+${rows.length - 5})` : ''}`);
  };
  await report('outbox row never relayed', `SELECT id, job_name FROM outbox WHERE sent_at IS NULL`);
  await report(
    'offer without a proposal although a need of its category has room',
    `SELECT o.id, o.category_code FROM offers o
      WHERE o.status = 'open' AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.offer_id = o.id AND m.status IN ('proposed', 'accepted', 'delivered'))
        AND EXISTS (SELECT 1 FROM needs n WHERE n.category_code = o.category_code AND n.status = 'open' AND n.quantity_allocated + o.quantity <= n.quantity)`,
  );
  await report(
    'offer written in part (no window or no history)',
    `SELECT o.id FROM offers o
      WHERE NOT EXISTS (SELECT 1 FROM offer_windows w WHERE w.offer_id = o.id)
         OR NOT EXISTS (SELECT 1 FROM status_changes s WHERE s.subject_type = 'offer' AND s.subject_id = o.id AND s.from_status IS NULL)`,
  );
  await report('pair proposed twice', `SELECT offer_id, need_id, count(*) FROM matches WHERE status = 'proposed' GROUP BY 1, 2 HAVING count(*) > 1`);
  await report('accepted match without a pickup', `SELECT id FROM matches WHERE status IN ('accepted', 'delivered') AND pickup_id IS NULL`);
  await report(
    'two pickups for one offer and house',
    `SELECT offer_id, house_id, count(*) FROM pickups WHERE status <> 'cancelled' GROUP BY 1, 2 HAVING count(*) > 1`,
  );
  await report(
    'acceptance not thanked exactly once',
    `SELECT m.id, count(nt.id) FROM matches m LEFT JOIN notifications nt ON nt.kind = 'match-accepted' AND nt.data->>'matchId' = m.id::text
      WHERE m.status IN ('accepted', 'delivered') GROUP BY m.id HAVING count(nt.id) <> 1`,
  );
  await report(
    'proposal not told to each coordinator exactly once',
    `SELECT m.id, u.id AS coordinator, count(nt.id) FROM matches m JOIN needs n ON n.id = m.need_id
       JOIN users u ON u.house_id = n.house_id AND u.role = 'coordinator'
       LEFT JOIN notifications nt ON nt.kind = 'match-proposed' AND nt.user_id = u.id AND nt.data->>'matchId' = m.id::text
      WHERE m.status = 'proposed' GROUP BY m.id, u.id HAVING count(nt.id) <> 1`,
  );
  await report(
    'due reminder not sent exactly once to the volunteer and the donor',
    `SELECT p.id, count(nt.id) FROM outbox ob JOIN pickups p ON p.id = (ob.payload->>'pickupId')::uuid
       LEFT JOIN notifications nt ON nt.kind = 'pickup-reminder' AND nt.data->>'pickupId' = p.id::text
      WHERE ob.job_name = 'send-reminder' AND (ob.run_at IS NULL OR ob.run_at <= now()) AND p.status = 'assigned'
      GROUP BY p.id HAVING count(nt.id) <> 2`,
  );
  await report('notification twice', `SELECT dedup_key, count(*) FROM notifications GROUP BY 1 HAVING count(*) > 1`);
  // Every relayed job ran (its id is the outbox row's); optimisations are deduplicated per category.
  const rows: Array<{ id: string; queue: QueueName; job_name: string; run_at: Date | null }> = await db.query(
    `SELECT id, queue, job_name, run_at FROM outbox WHERE job_name <> 'optimise-category' ORDER BY created_at`,
  );
  for (const row of rows) {
    const state = await inspector.state(row.queue, row.id);
    const planned = row.run_at && row.run_at.getTime() > Date.now();
    if (state !== 'completed' && !(planned && state === 'delayed')) problems.push(`job ${row.job_name} ${row.id} is ${state}`);
  }
  const failed = await inspector.failed();
  if (failed.length > 0) problems.push(`failed jobs: ${failed.map((job) => `${job.name}: ${job.failedReason}`).join('; ')}`);
  const violations = await findViolations(db);
  if (violations.length > 0) problems.push(`invariants: ${JSON.stringify(violations.slice(0, 5))}`);
  return problems;
}

/** `npm run check:consistency` (compiled) against a database: its exit status and report. */
export function checkConsistency(databaseUrl: string): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [join(buildDir(), 'scripts', 'check-consistency.js')], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: `${run.stdout}${run.stderr}` };
}

/** A figure for the report at the end of the run. */
export function figure(name: string, value: string): void {
  process.stdout.write(`  [figure] ${name}: ${value}\n`);
}

/** An API process and a worker process on a database and queue prefix of their own, with a proxy the test can cut in front of PostgreSQL or Redis. */
export interface ProxiedStack {
  proxy: TcpProxy;
  api: AppProcess;
  worker: AppProcess;
  inspector: QueueInspector;
  db: DataSource;
  databaseUrl: string;
  who: People;
  close(): Promise<void>;
}

export async function proxiedStack(behindProxy: 'postgres' | 'redis', needCategories: readonly string[]): Promise<ProxiedStack> {
  const { url: databaseUrl, db } = await faultDatabase();
  const target = behindProxy === 'postgres' ? databaseUrl : REDIS_URL;
  const proxy = await TcpProxy.start('127.0.0.1', Number(new URL(target).port || (behindProxy === 'postgres' ? 5432 : 6379)));
  const prefix = queuePrefix();
  const options = {
    databaseUrl: behindProxy === 'postgres' ? proxy.url(databaseUrl) : databaseUrl,
    redisUrl: behindProxy === 'redis' ? proxy.url(REDIS_URL) : REDIS_URL,
    queuePrefix: prefix,
  };
  const [api, worker] = await Promise.all([AppProcess.start({ role: 'api', ...options }), AppProcess.start({ role: 'worker', ...options })]);
  const inspector = new QueueInspector(prefix);
  const who = await people(api.url, 1);
  await postNeeds(api.url, who, needCategories);
  return {
    proxy,
    api,
    worker,
    inspector,
    db,
    databaseUrl,
    who,
    async close() {
      await Promise.all([api.kill(), worker.kill()]);
      await proxy.close();
      await inspector.obliterate();
      await inspector.close();
      await db.destroy();
    },
  };
}
