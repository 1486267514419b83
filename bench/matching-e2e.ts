/**
 * End-to-end: the real app as a child process on a fresh database, offers at a fixed rate, and
 * for each offer the time from sending POST /api/offers to its first proposal in GET /api/matches.
 * Only ever talks to 127.0.0.1; every loop is bounded in count and time.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { CATEGORY_WEIGHTS, HOUSES, int, pickCondition, pickHouse, pickQuantity, pickSize, pickTown, pickUrgency, Rng, weighted } from './matching-data';
import { round } from './matching-solver';

export interface E2eOptions {
  repo: string;
  rng: Rng;
  needs: number;
  donors: number;
  ratePerSecond: number;
  durationS: number;
  /** After the last offer is sent, how long pending offers are still polled. */
  graceS: number;
  pollEveryMs: number;
  /** The whole end-to-end part is stopped (the app killed, the database dropped) after this long. */
  maxSeconds: number;
  log: (line: string) => void;
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface E2eResult {
  database: string;
  port: number;
  appStartS: number;
  setupS: number;
  needsPosted: number;
  needUnits: number;
  donors: number;
  offersPlanned: number;
  offersSent: number;
  offersCreated: number;
  offerErrors: number;
  offerUnits: number;
  sendSeconds: number;
  achievedRate: number;
  withProposal: number;
  withoutProposal: number;
  proposalLatencyMs: Percentiles;
  postOfferMs: Percentiles;
  pollRequests: number;
  pollMs: Percentiles;
  /** Offers whose proposal was already there at their first poll: for them the latency is an upper bound. */
  foundOnFirstPoll: number;
  /** Median time between two polls of the same pending offer. */
  pollGapMs: Percentiles;
  /** The same latency from the database's own timestamps: offer row (its transaction's start) → first match row. */
  serverSideMs: Percentiles;
  /** Outbox row written → relayed to BullMQ (offers sent during the load only). */
  outboxRelayMs: Percentiles;
  /** BullMQ optimise-category jobs of the load: added → started (debounce included), and started → finished. */
  jobs: { count: number; failed: number; waitMs: Percentiles; runMs: Percentiles; offersPerJob: Percentiles };
  /** CPU used during the load window, in cores (1 = one core busy all the time). */
  cpuDuringLoad: { windowS: number; machine: number; app: number; postgres: number; redis: number; benchmark: number; other: number };
  /** From the database at the end: what the engine did. */
  engine: {
    optimisationsLogged: number;
    matchesByStatus: Record<string, number>;
    supersededProposals: number;
    offersWithLiveProposal: number;
    proposedNotifications: number;
    unitsProposed: number;
  };
  shutdown: { sent: string; exit: string; ms: number };
  settings: Record<string, string>;
}

// ---------------------------------------------------------------- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 48 });

interface Reply {
  status: number;
  body: any;
  ms: number;
}

export function request(port: number, method: string, path: string, body?: unknown, token?: string, timeoutMs = 15_000): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (token) headers.authorization = `Bearer ${token}`;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, ms: performance.now() - t0 });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function expectStatus(reply: Reply, status: number, what: string): any {
  if (reply.status !== status) throw new Error(`${what}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  return reply.body;
}

/** Runs tasks with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  });
  await Promise.all(lanes);
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = values.slice().sort((a, b) => a - b);
  // Nearest-rank percentiles.
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { count: sorted.length, p50: round(at(50), 1), p95: round(at(95), 1), p99: round(at(99), 1), max: round(sorted[sorted.length - 1], 1) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- the app

export interface RunningApp {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logLines: string[];
}

function startApp(repo: string, env: NodeJS.ProcessEnv, logFile: string): RunningApp {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  const file = createWriteStream(logFile);
  const keep = (chunk: Buffer) => {
    file.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(line);
    if (logLines.length > 20_000) logLines.splice(0, logLines.length - 20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      file.end();
      resolve({ code, signal });
    }),
  );
  return { child, exited, logLines };
}

export async function stopApp(app: RunningApp): Promise<E2eResult['shutdown']> {
  const t0 = performance.now();
  const how = (done: { code: number | null; signal: NodeJS.Signals | null }) => (done.signal ? `by ${done.signal}` : `code ${done.code}`);
  if (app.child.exitCode !== null || app.child.signalCode !== null) {
    return { sent: 'nothing (it had exited)', exit: how(await app.exited), ms: 0 };
  }
  app.child.kill('SIGTERM');
  const graceful = await Promise.race([app.exited, sleep(10_000).then(() => undefined)]);
  if (graceful) return { sent: 'SIGTERM', exit: how(graceful), ms: round(performance.now() - t0) };
  app.child.kill('SIGKILL');
  return { sent: 'SIGTERM, then SIGKILL after 10 s', exit: how(await app.exited), ms: round(performance.now() - t0) };
}

async function waitForHealth(port: number, app: RunningApp, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`the app exited during start-up:\n${app.logLines.slice(-30).join('\n')}`);
    }
    try {
      const reply = await request(port, 'GET', '/health', undefined, undefined, 2_000);
      if (reply.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`/health did not answer 200 within ${timeoutMs / 1000} s:\n${app.logLines.slice(-30).join('\n')}`);
}

async function adminQuery<T = any>(sql: string, database = 'postgres'): Promise<T[]> {
  const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${database}`, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  if (!/^inkind_bench_[a-f0-9]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** The jobs of one name (optimise-category by default) that BullMQ still keeps (completed and failed), added since `since`. */
export async function jobTimings(
  redisUrl: string,
  prefix: string,
  since: number,
  of: { queue: string; name: string } = { queue: 'matching', name: 'optimise-category' },
): Promise<E2eResult['jobs']> {
  const url = new URL(redisUrl);
  const queue = new Queue(of.queue, {
    prefix,
    connection: { host: url.hostname, port: Number(url.port || 6379), db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0, maxRetriesPerRequest: 1 },
  });
  try {
    const jobs = (await queue.getJobs(['completed', 'failed'], 0, 4999)).filter((job) => job && job.name === of.name && job.timestamp >= since);
    const wait: number[] = [];
    const run: number[] = [];
    const offers: number[] = [];
    let failed = 0;
    for (const job of jobs) {
      if (job.failedReason) failed++;
      // BullMQ resets job.delay to 0 when it promotes a delayed job: this includes the debounce delay.
      if (job.processedOn) wait.push(job.processedOn - job.timestamp);
      if (job.processedOn && job.finishedOn) run.push(job.finishedOn - job.processedOn);
      const outcome = job.returnvalue as { offers?: number } | undefined;
      if (outcome && typeof outcome.offers === 'number') offers.push(outcome.offers);
    }
    return { count: jobs.length, failed, waitMs: percentiles(wait), runMs: percentiles(run), offersPerJob: percentiles(offers) };
  } finally {
    await queue.close();
  }
}

/** Removes this run's BullMQ keys (and only them: the prefix is unique to the run). */
export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3_000 });
  await redis.connect();
  let removed = 0;
  try {
    let cursor = '0';
    let rounds = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) removed += await redis.del(...keys);
    } while (cursor !== '0' && ++rounds < 10_000);
  } finally {
    redis.disconnect();
  }
  return removed;
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface CpuSnapshot {
  at: number;
  machineBusy: number;
  perProcess: Map<number, { comm: string; ticks: number }>;
  bench: NodeJS.CpuUsage;
}

function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return undefined;
  }
}

function cpuSnapshot(appPid: number | undefined): CpuSnapshot | undefined {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = values;
    const perProcess = new Map<number, { comm: string; ticks: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      let comm: string;
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (pid !== appPid && comm !== 'postgres' && comm !== 'redis-server') continue;
      const ticks = processTicks(pid);
      if (ticks !== undefined) perProcess.set(pid, { comm: pid === appPid ? 'app' : comm, ticks });
    }
    return { at: performance.now(), machineBusy: user + nice + system + irq + softirq + (steal || 0), perProcess, bench: process.cpuUsage() };
  } catch {
    return undefined;
  }
}

function cpuBetween(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined): E2eResult['cpuDuringLoad'] {
  if (!a || !b) return { windowS: NaN, machine: NaN, app: NaN, postgres: NaN, redis: NaN, benchmark: NaN, other: NaN };
  const windowS = (b.at - a.at) / 1000;
  const cores = (ticks: number) => round(ticks / CLK_TCK / windowS, 2);
  const by = { app: 0, postgres: 0, 'redis-server': 0 } as Record<string, number>;
  for (const [pid, now] of b.perProcess) by[now.comm] = (by[now.comm] ?? 0) + now.ticks - (a.perProcess.get(pid)?.ticks ?? 0);
  const bench = process.cpuUsage(a.bench);
  const benchTicks = ((bench.user + bench.system) / 1e6) * CLK_TCK;
  const machine = b.machineBusy - a.machineBusy;
  return {
    windowS: round(windowS, 1),
    machine: cores(machine),
    app: cores(by.app),
    postgres: cores(by.postgres),
    redis: cores(by['redis-server']),
    benchmark: cores(benchTicks),
    other: cores(Math.max(0, machine - by.app - by.postgres - by['redis-server'] - benchTicks)),
  };
}

// ---------------------------------------------------------------- the run

const DAY_MS = 86_400_000;

export async function benchEndToEnd(options: E2eOptions): Promise<E2eResult> {
  const { rng, log } = options;
  const suffix = randomBytes(4).toString('hex');
  const database = `inkind_bench_${suffix}`;
  const queuePrefix = `inkind-bench-${suffix}`;
  const port = await freePort();
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const admin = { email: `bench-admin-${suffix}@example.be`, password: randomBytes(12).toString('hex') };
  const settings: Record<string, string> = {
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
    PORT: String(port),
    QUEUE_PREFIX: queuePrefix,
    REDIS_URL: redisUrl,
    ADMIN_EMAIL: admin.email,
    MATCHING_SWEEP_MS: '0',
    NODE_ENV: 'development',
    APP_ROLE: 'all',
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Whatever the calling shell has set, the app runs with its defaults for everything else.
  for (const key of ['JWT_SECRET', 'JWT_TTL', 'MATCHING_DEBOUNCE_MS', 'MATCHING_MIN_INTERVAL_MS', 'MATCHING_CANDIDATES', 'OUTBOX_POLL_MS', 'TS_NODE_PROJECT']) delete env[key];
  Object.assign(env, settings, { ADMIN_PASSWORD: admin.password });

  const logFile = join(options.repo, 'bench', 'matching-app.log');
  log(`e2e: starting the app on port ${port}, database ${database}, queue prefix ${queuePrefix} (log: bench/matching-app.log)`);
  const t0 = performance.now();
  const app = startApp(options.repo, env, logFile);
  let shutdown: E2eResult['shutdown'] | undefined;
  let aborted = false;
  const abort = (why: string) => {
    if (aborted) return;
    aborted = true;
    log(`e2e: ${why}: stopping the app; the database is dropped below`);
    app.child.kill('SIGKILL');
  };
  // Ctrl-C or a run that overstays: kill the app, let the loops see `aborted`, clean up in `finally`.
  const onSignal = () => abort('interrupted');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const watchdog = setTimeout(() => abort(`still running after ${options.maxSeconds} s`), options.maxSeconds * 1000);
  try {
    await waitForHealth(port, app, 120_000);
    const appStartS = round((performance.now() - t0) / 1000, 1);
    log(`e2e: app healthy after ${appStartS} s`);

    // ------------------------------------------------------------ accounts and needs
    const tSetup = performance.now();
    const login = async (email: string, password: string) =>
      expectStatus(await request(port, 'POST', '/api/auth/login', { email, password }), 200, `login ${email}`).accessToken as string;
    const adminToken = await login(admin.email, admin.password);
    const password = 'a-long-enough-bench-password';
    const coordinators = new Map<string, string>();
    for (const house of HOUSES) {
      const email = `bench-coord-${house.slug}-${suffix}@example.be`;
      expectStatus(
        await request(port, 'POST', '/api/users', { email, password, name: `Coordinator ${house.slug}`, role: 'coordinator', houseSlug: house.slug }, adminToken),
        201,
        `create coordinator of ${house.slug}`,
      );
      coordinators.set(house.slug, await login(email, password));
    }

    // Needs per category in proportion to the offers to come, big enough to take most of them.
    const categoryOfNeed: string[] = [];
    const totalWeight = CATEGORY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    for (const [code, w] of CATEGORY_WEIGHTS) for (let k = 0; k < Math.round((options.needs * w) / totalWeight); k++) categoryOfNeed.push(code);
    while (categoryOfNeed.length > options.needs) categoryOfNeed.pop();
    while (categoryOfNeed.length < options.needs) categoryOfNeed.push(CATEGORY_WEIGHTS[0][0]);
    const today = Date.now();
    const needBodies = categoryOfNeed.map((categoryCode, i) => {
      const house = pickHouse(rng);
      const dated = rng() < 0.45;
      return {
        house: house.slug,
        body: {
          houseSlug: house.slug,
          categoryCode,
          title: `Bench need ${i}`,
          quantity: int(rng, 40, 200),
          urgency: pickUrgency(rng),
          ...(dated ? { neededBy: new Date(today + int(rng, 2, 45) * DAY_MS).toISOString().slice(0, 10) } : {}),
        },
      };
    });
    let needUnits = 0;
    await pool(needBodies, 4, async ({ house, body }) => {
      expectStatus(await request(port, 'POST', '/api/needs', body, coordinators.get(house)), 201, 'post a need');
      needUnits += body.quantity;
    });

    const donors: string[] = [];
    await pool(
      Array.from({ length: options.donors }, (_, i) => i),
      4,
      async (i) => {
        const email = `bench-donor-${i}-${suffix}@example.be`;
        expectStatus(await request(port, 'POST', '/api/auth/register', { email, password, name: `Donor ${i}`, role: 'donor' }), 201, 'register a donor');
        donors.push(await login(email, password));
      },
    );
    // Let the optimisations triggered by the needs finish before the clock starts.
    await sleep(1_500);
    const setupS = round((performance.now() - tSetup) / 1000, 1);
    log(`e2e: ${HOUSES.length} coordinators, ${needBodies.length} needs (${needUnits} units), ${donors.length} donors in ${setupS} s`);

    // ------------------------------------------------------------ offers at a fixed rate
    const pickCategory = weighted(CATEGORY_WEIGHTS);
    const planned = Math.round(options.ratePerSecond * options.durationS);
    const offerBodies = Array.from({ length: planned }, (_, i) => {
      const town = pickTown(rng);
      const windows = Array.from({ length: int(rng, 1, 3) }, () => {
        const from = Math.ceil((today + int(rng, 1, 14) * DAY_MS) / 3_600_000) * 3_600_000 + int(rng, 0, 10) * 3_600_000;
        return { from: new Date(from).toISOString(), to: new Date(from + int(rng, 2, 4) * 3_600_000).toISOString() };
      });
      return {
        token: donors[Math.floor(rng() * donors.length)],
        body: {
          categoryCode: pickCategory(rng),
          title: `Bench offer ${i}`,
          quantity: pickQuantity(rng),
          condition: pickCondition(rng),
          size: pickSize(rng),
          pickupAddress: { street: 'Benchstraat 1', postcode: town.postcode, town: town.name },
          availability: windows,
        },
      };
    });

    interface Pending {
      id: string;
      sentAt: number;
      nextPollAt: number;
      inFlight: boolean;
      polls: number;
      lastPollAt?: number;
    }
    const pending = new Map<string, Pending>();
    const latencies: number[] = [];
    const postTimes: number[] = [];
    const pollTimes: number[] = [];
    const pollGaps: number[] = [];
    let foundOnFirstPoll = 0;
    let offersSent = 0;
    let offersCreated = 0;
    let offerErrors = 0;
    let offerUnits = 0;
    let pollRequests = 0;
    let pollInFlight = 0;
    const MAX_POLLS_IN_FLIGHT = 16;
    const MAX_POSTS_IN_FLIGHT = 100;
    let postsInFlight = 0;
    let sendingDone = false;
    const firstError: string[] = [];

    const pollOne = async (offer: Pending) => {
      offer.inFlight = true;
      pollInFlight++;
      pollRequests++;
      const at = performance.now();
      if (offer.lastPollAt !== undefined) pollGaps.push(at - offer.lastPollAt);
      offer.lastPollAt = at;
      offer.polls++;
      try {
        const reply = await request(port, 'GET', `/api/matches?offerId=${offer.id}&limit=1`, undefined, adminToken, 10_000);
        pollTimes.push(reply.ms);
        if (reply.status === 200 && Array.isArray(reply.body?.items) && reply.body.items.length > 0) {
          latencies.push(performance.now() - offer.sentAt);
          if (offer.polls === 1) foundOnFirstPoll++;
          pending.delete(offer.id);
          return;
        } else if (reply.status !== 200 && firstError.length < 3) {
          firstError.push(`poll: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
        }
      } catch (error) {
        if (firstError.length < 3) firstError.push(`poll: ${(error as Error).message}`);
      } finally {
        offer.inFlight = false;
        offer.nextPollAt = performance.now() + options.pollEveryMs;
        pollInFlight--;
      }
      // Round robin: back to the end of the line.
      if (pending.delete(offer.id)) pending.set(offer.id, offer);
    };

    // The poller: every pending offer about every pollEveryMs, at most MAX_POLLS_IN_FLIGHT at once.
    const givenUpAfterMs = (options.graceS + 5) * 1000;
    let givenUp = 0;
    const poller = (async () => {
      const hardStop = performance.now() + (options.durationS + options.graceS + 10) * 1000;
      while (performance.now() < hardStop && !aborted) {
        const now = performance.now();
        for (const offer of [...pending.values()]) {
          if (now - offer.sentAt > givenUpAfterMs) {
            pending.delete(offer.id);
            givenUp++;
            continue;
          }
          if (pollInFlight >= MAX_POLLS_IN_FLIGHT) break;
          if (!offer.inFlight && offer.nextPollAt <= now) void pollOne(offer);
        }
        if (sendingDone && pending.size === 0 && postsInFlight === 0) break;
        await sleep(2);
      }
    })();

    const postOne = async (item: (typeof offerBodies)[number]) => {
      postsInFlight++;
      const sentAt = performance.now();
      try {
        const reply = await request(port, 'POST', '/api/offers', item.body, item.token, 15_000);
        postTimes.push(reply.ms);
        if (reply.status === 201 && typeof reply.body?.id === 'string') {
          offersCreated++;
          offerUnits += item.body.quantity;
          pending.set(reply.body.id, { id: reply.body.id, sentAt, nextPollAt: performance.now(), inFlight: false, polls: 0 });
        } else {
          offerErrors++;
          if (firstError.length < 3) firstError.push(`offer: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
        }
      } catch (error) {
        offerErrors++;
        if (firstError.length < 3) firstError.push(`offer: ${(error as Error).message}`);
      } finally {
        postsInFlight--;
      }
    };

    log(`e2e: sending ${planned} offers at ${options.ratePerSecond}/s for ${options.durationS} s`);
    const tLoad = performance.now();
    const loadStartedAt = Date.now();
    const cpuBefore = cpuSnapshot(app.child.pid);
    const interval = 1000 / options.ratePerSecond;
    const sendDeadline = tLoad + options.durationS * 1000 + 2_000;
    for (let i = 0; i < planned; i++) {
      const due = tLoad + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      while (postsInFlight >= MAX_POSTS_IN_FLIGHT && performance.now() < sendDeadline) await sleep(1);
      if (performance.now() >= sendDeadline || aborted) break;
      offersSent++;
      void postOne(offerBodies[i]);
    }
    const sendSeconds = (performance.now() - tLoad) / 1000;
    const cpuDuringLoad = cpuBetween(cpuBefore, cpuSnapshot(app.child.pid));
    const postsDeadline = performance.now() + 20_000;
    while (postsInFlight > 0 && performance.now() < postsDeadline) await sleep(5);
    sendingDone = true;
    log(`e2e: sent ${offersSent} offers in ${round(sendSeconds, 1)} s; waiting up to ${options.graceS} s for the last proposals`);
    const graceDeadline = performance.now() + options.graceS * 1000;
    while (pending.size > 0 && performance.now() < graceDeadline && !aborted) await sleep(20);
    const stillPending = pending.size;
    pending.clear();
    await poller;
    while (pollInFlight > 0) await sleep(5);
    if (aborted) throw new Error('end-to-end run aborted');
    for (const line of firstError) log(`e2e: first errors: ${line}`);

    // ------------------------------------------------------------ what the engine did
    const db = settings.DATABASE_URL.split('/').pop() as string;
    const byStatus = await adminQuery<{ status: string; n: string; units: string }>(
      `SELECT status, count(*) AS n, sum(quantity) AS units FROM matches GROUP BY status`,
      db,
    );
    const [superseded] = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM matches WHERE reason = 'superseded'`, db);
    const [live] = await adminQuery<{ n: string }>(`SELECT count(DISTINCT offer_id) AS n FROM matches WHERE status = 'proposed'`, db);
    const [notes] = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE kind = 'match-proposed'`, db);
    const matchesByStatus = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
    const unitsProposed = Number(byStatus.find((r) => r.status === 'proposed')?.units ?? 0);
    const optimisationsLogged = app.logLines.filter((line) => line.includes('optimised {')).length;
    const since = `to_timestamp(${loadStartedAt / 1000})`;
    const serverSide = await adminQuery<{ ms: number }>(
      `SELECT EXTRACT(EPOCH FROM (min(m.created_at) - o.created_at)) * 1000 AS ms
         FROM offers o JOIN matches m ON m.offer_id = o.id WHERE o.created_at >= ${since} GROUP BY o.id, o.created_at`,
      db,
    );
    const relay = await adminQuery<{ ms: number }>(
      `SELECT EXTRACT(EPOCH FROM (sent_at - created_at)) * 1000 AS ms FROM outbox
        WHERE sent_at IS NOT NULL AND created_at >= ${since} AND job_name = 'optimise-category'`,
      db,
    );
    const jobs = await jobTimings(redisUrl, queuePrefix, loadStartedAt);

    return {
      database,
      port,
      appStartS,
      setupS,
      needsPosted: needBodies.length,
      needUnits,
      donors: donors.length,
      offersPlanned: planned,
      offersSent,
      offersCreated,
      offerErrors,
      offerUnits,
      sendSeconds: round(sendSeconds, 2),
      achievedRate: round(offersSent / sendSeconds, 1),
      withProposal: latencies.length,
      withoutProposal: offersCreated - latencies.length,
      proposalLatencyMs: percentiles(latencies),
      postOfferMs: percentiles(postTimes),
      pollRequests,
      pollMs: percentiles(pollTimes),
      foundOnFirstPoll,
      pollGapMs: percentiles(pollGaps),
      serverSideMs: percentiles(serverSide.map((r) => Number(r.ms))),
      outboxRelayMs: percentiles(relay.map((r) => Number(r.ms))),
      jobs,
      cpuDuringLoad,
      engine: {
        optimisationsLogged,
        matchesByStatus,
        supersededProposals: Number(superseded.n),
        offersWithLiveProposal: Number(live.n),
        proposedNotifications: Number(notes.n),
        unitsProposed,
      },
      shutdown: (shutdown = await stopApp(app)),
      settings: { ...settings, stillPendingAtEnd: String(stillPending), givenUp: String(givenUp) },
    };
  } finally {
    clearTimeout(watchdog);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (!shutdown) await stopApp(app).catch((error: Error) => log(`e2e: could not stop the app: ${error.message}`));
    agent.destroy();
    await dropDatabase(database).then(
      () => log(`e2e: dropped database ${database}`),
      (error: Error) => log(`e2e: could not drop ${database}: ${error.message}`),
    );
    await dropQueueKeys(redisUrl, queuePrefix).then(
      (n) => log(`e2e: removed ${n} Redis keys under ${queuePrefix}:`),
      (error: Error) => log(`e2e: could not clean Redis keys under ${queuePrefix}: ${error.message}`),
    );
  }
}
