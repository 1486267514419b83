/**
 * `npm run bench`: the product measured side by side with a bare node:http + pg server doing the same
 * database work, on a realistic dataset, in one run on one machine. Prints a table, writes
 * bench/results.json and the "Performance" section of BENCHMARKS.md (bench:matching keeps its own).
 *
 *   1. seeds a database of its own (bench/seed.ts) from --seed;
 *   2. the matching engine in this process: 1k × 1k and 10k × 2k (bench/matching-solver.ts);
 *   3. starts the baseline (bench/baseline/server.js) and the product's API (APP_ROLE=api, no worker),
 *      checks that both answer the same, and runs autocannon (a child process, 32 connections) on the
 *      wishlist read and on offer creation, alternately, --rounds rounds each;
 *   4. the cost of each global per-request piece: the API again without request logging, the security
 *      headers, the hooks or the request context (bench/product-variant.js), each
 *      paired with a baseline run;
 *   5. starts the worker (APP_ROLE=worker): the engine re-optimises every category of the seeded data
 *      while the API serves reads (its event-loop delay is read from its own /metrics), then offers at
 *      --rate a second for --pipeline seconds: POST → first proposal, acceptance → pickup, the outbox
 *      backlog and its drain; then raw queue throughput, outbox → relay → BullMQ → handler against
 *      BullMQ alone;
 *   6. resources: peak RSS, PostgreSQL and Redis connections of each process, Redis memory.
 *
 * Options: --seed=N, --rounds=N (3), --duration=S per autocannon run (8), --pipeline=S (60), --rate=N (50),
 * --skip-variants, --ts-node (run the product from sources instead of `npm run build` + dist/).
 * BENCHMARKS.md is only rewritten after a run with the standard settings.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { Queue, QueueEvents, Worker } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { brusselsDate } from '../src/common/time/clock';
import { prepareDatabase } from '../src/database/prepare-database';
import { DEFAULT_JOB_OPTIONS, QueueName } from '../src/queue/catalogue';
import { CATEGORIES, CATEGORY_WEIGHTS, HOUSES, int, makeInstance, mulberry32, pickCondition, pickQuantity, pickSize, pickTown, Rng, weighted } from './matching-data';
import { dropDatabase, dropQueueKeys, jobTimings, percentiles, Percentiles, request, RunningApp, stopApp } from './matching-e2e';
import { benchCase, benchRunner, CaseResult, inputsByCategory, LoopDelay, LoopResult, round, spread } from './matching-solver';
import { Machine, machine, REPO, runIdentity, sh } from './run-info';
import { BENCH_PASSWORD, donorEmail, seedDatabase, SeedResult } from './seed';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'] as const;
  }),
);
const seed = Number(args.get('seed') ?? process.env.BENCH_SEED ?? 20261201) >>> 0;
const ROUNDS = Math.max(1, Math.min(9, Number(args.get('rounds') ?? 3)));
const RUN_S = Math.max(2, Math.min(60, Number(args.get('duration') ?? 8)));
const PIPELINE_S = Math.max(5, Math.min(120, Number(args.get('pipeline') ?? 60)));
const RATE = Math.max(1, Math.min(200, Number(args.get('rate') ?? 50)));
const CONNECTIONS = 32;
const skipVariants = args.has('skip-variants');
const useTsNode = args.has('ts-node');
const standard = ROUNDS === 3 && RUN_S === 8 && PIPELINE_S === 60 && RATE === 50 && !skipVariants;
const VARIANT_S = 3;
const QUEUE_JOBS = 2_000;
const DONORS_LOGGED_IN = 16;

const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

// ---------------------------------------------------------------- small helpers

const median = (values: number[]) => spread(values).median;
const fmtMs = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? 'n/a' : ms >= 10_000 ? `${round(ms / 1000, 1)} s` : ms >= 1_000 ? `${round(ms / 1000, 2)} s` : `${round(ms, 1)} ms`);
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratioOf = (a: number, b: number) => round(a / b, 2);

interface Proc extends RunningApp {
  name: string;
  logFile: string;
}

function spawnNode(name: string, argv: string[], env: NodeJS.ProcessEnv): Proc {
  const logFile = join(REPO, 'bench', `bench-${name}.log`);
  // Straight to a file: the product logs a line per request, and reading it here would cost the benchmark CPU.
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, argv, { cwd: REPO, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return { name, logFile, child, exited, logLines: [] };
}

function tail(proc: Proc, lines = 30): string {
  try {
    return readFileSync(proc.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function waitUntil(what: string, proc: Proc, test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error(`${proc.name} exited while waiting for ${what}:\n${tail(proc)}`);
    if (await test().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s:\n${tail(proc)}`);
}

/** dist/src/main.js exists and no file of src/ or migrations/ changed after it was built. */
function builtIsFresh(): boolean {
  const built = join(REPO, 'dist', 'src', 'main.js');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) =>
      entry.isDirectory() ? newer(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs > builtAt,
    );
  return !newer(join(REPO, 'src')) && !newer(join(REPO, 'migrations'));
}

const healthy = (port: number) => async () => (await request(port, 'GET', '/health', undefined, undefined, 2_000)).status === 200;

// ---------------------------------------------------------------- /proc: memory and connections per process

function statusField(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** TCP connections of a process to a local port (PostgreSQL 5432, Redis 6379), from its socket inodes. */
function connectionsTo(pid: number, port: number): number {
  try {
    const inodes = new Set<string>();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (link.startsWith('socket:[')) inodes.add(link.slice(8, -1));
      } catch {
        // closed meanwhile
      }
    }
    let count = 0;
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!existsSync(table)) continue;
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        // remote address is column 2, state 01 = ESTABLISHED, inode column 9
        if (cols.length > 9 && cols[2].endsWith(`:${hexPort}`) && cols[3] === '01' && inodes.has(cols[9])) count++;
      }
    }
    return count;
  } catch {
    return NaN;
  }
}

interface ProcessPeaks {
  peakRssMiB: number;
  maxPgConnections: number;
  maxRedisConnections: number;
}

class Sampler {
  readonly peaks = new Map<string, ProcessPeaks>();
  private timer?: NodeJS.Timeout;
  constructor(private readonly procs: () => Proc[]) {}
  start(everyMs = 500): void {
    this.stop();
    this.timer = setInterval(() => this.sample(), everyMs);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
  sample(): void {
    for (const proc of this.procs()) {
      const pid = proc.child.pid;
      if (!pid || proc.child.exitCode !== null) continue;
      const peak = this.peaks.get(proc.name) ?? { peakRssMiB: 0, maxPgConnections: 0, maxRedisConnections: 0 };
      peak.peakRssMiB = Math.max(peak.peakRssMiB, round(statusField(pid, 'VmHWM'), 1) || 0);
      peak.maxPgConnections = Math.max(peak.maxPgConnections, connectionsTo(pid, 5432) || 0);
      peak.maxRedisConnections = Math.max(peak.maxRedisConnections, connectionsTo(pid, 6379) || 0);
      this.peaks.set(proc.name, peak);
    }
  }
}

// ---------------------------------------------------------------- autocannon

interface CannonRun {
  server: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  /** CPU time (user + system) of the server's process per request answered: steadier than req/s on a shared machine. */
  cpuMsPerRequest: number;
}

/** The requests of one scenario, as a HAR file: autocannon cycles through them on every connection. */
interface BenchRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function writeHar(file: string, port: number, requests: BenchRequest[]): void {
  const entries = requests.map((r) => ({
    request: {
      method: r.method,
      url: `http://127.0.0.1:${port}${r.path}`,
      headers: Object.entries(r.headers).map(([name, value]) => ({ name, value })),
      ...(r.body !== undefined ? { postData: { mimeType: 'application/json', text: r.body } } : {}),
    },
  }));
  writeFileSync(file, JSON.stringify({ log: { version: '1.2', creator: { name: 'inkind bench', version: '1' }, entries } }));
}

function cpuTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}
const CLK_TCK = Number(sh('getconf', ['CLK_TCK'])) || 100;

function autocannon(server: string, port: number, har: string, seconds: number, pid?: number): Promise<CannonRun> {
  const bin = join(REPO, 'node_modules', '.bin', 'autocannon');
  const ticks0 = cpuTicks(pid);
  return new Promise((done, fail) => {
    const child = spawn(bin, ['-c', String(CONNECTIONS), '-d', String(seconds), '-j', '-n', '--har', har, `http://127.0.0.1:${port}`], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      try {
        const result = JSON.parse(out.trim().split('\n').pop() as string);
        done({
          server,
          rps: round(result.requests.average, 1),
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: (result.errors ?? 0) + (result.timeouts ?? 0),
          non2xx: result.non2xx ?? 0,
          requests: result.requests.total,
          cpuMsPerRequest: round(((cpuTicks(pid) - ticks0) / CLK_TCK) * 1000 / Math.max(1, result.requests.total), 3),
        });
      } catch {
        fail(new Error(`autocannon exited ${code}: ${err.slice(0, 500)} ${out.slice(0, 500)}`));
      }
    });
  });
}

interface Comparison {
  route: string;
  baseline: CannonRun[];
  product: CannonRun[];
  /** Medians of the rounds. */
  median: {
    baselineRps: number;
    productRps: number;
    ratio: number;
    baselineP50: number;
    productP50: number;
    baselineP99: number;
    productP99: number;
    baselineCpuMs: number;
    productCpuMs: number;
    /** baseline CPU per request / product CPU per request: the same ratio, from CPU time instead of throughput. */
    cpuRatio: number;
  };
  /** product/baseline of each round (the two runs of a round are next to each other in time). */
  roundRatios: number[];
  productErrors: number;
  baselineErrors: number;
}

function compare(route: string, baseline: CannonRun[], product: CannonRun[]): Comparison {
  return {
    route,
    baseline,
    product,
    median: {
      baselineRps: median(baseline.map((r) => r.rps)),
      productRps: median(product.map((r) => r.rps)),
      ratio: ratioOf(median(product.map((r) => r.rps)), median(baseline.map((r) => r.rps))),
      baselineP50: median(baseline.map((r) => r.p50)),
      productP50: median(product.map((r) => r.p50)),
      baselineP99: median(baseline.map((r) => r.p99)),
      productP99: median(product.map((r) => r.p99)),
      baselineCpuMs: median(baseline.map((r) => r.cpuMsPerRequest)),
      productCpuMs: median(product.map((r) => r.cpuMsPerRequest)),
      cpuRatio: ratioOf(median(baseline.map((r) => r.cpuMsPerRequest)), median(product.map((r) => r.cpuMsPerRequest))),
    },
    roundRatios: product.map((p, i) => ratioOf(p.rps, baseline[i].rps)),
    productErrors: product.reduce((s, r) => s + r.errors + r.non2xx, 0),
    baselineErrors: baseline.reduce((s, r) => s + r.errors + r.non2xx, 0),
  };
}

// ---------------------------------------------------------------- request bodies

const DAY_MS = 86_400_000;

function offerBody(rng: Rng, i: number, marker: string) {
  const town = pickTown(rng);
  const now = Date.now();
  const windows = Array.from({ length: int(rng, 1, 2) }, () => {
    const from = Math.ceil((now + int(rng, 2, 20) * DAY_MS) / 3_600_000) * 3_600_000 + int(rng, 0, 10) * 3_600_000;
    return { from: new Date(from).toISOString(), to: new Date(from + int(rng, 2, 4) * 3_600_000).toISOString() };
  }).sort((a, b) => a.from.localeCompare(b.from));
  return {
    categoryCode: weighted(CATEGORY_WEIGHTS)(rng),
    title: `${marker} ${i}`,
    quantity: pickQuantity(rng),
    condition: pickCondition(rng),
    size: pickSize(rng),
    pickupAddress: { street: `Benchstraat ${int(rng, 1, 200)}`, postcode: town.postcode, town: town.name },
    availability: windows,
  };
}

// ---------------------------------------------------------------- results

interface Results {
  benchmark: 'performance';
  date: string;
  commit: string;
  srcDiffersFromCommit: boolean | null;
  seed: number;
  machine: Machine & { postgres: string; redis: string };
  settings: Record<string, string | number | boolean>;
  productRuntime: string;
  seed_: SeedResult;
  sameAnswers: { wishlist: boolean; offer: boolean; detail: string[] };
  http: { wishlist: Comparison; offers: Comparison };
  variants?: Array<{ strip: string; route: string; productRps: number; productP99: number; baselineRps: number; ratio: number; cpuMsPerRequest: number; baselineCpuMsPerRequest: number; errors: number }>;
  matching: {
    small: CaseResult;
    large: CaseResult;
    inlineLoop: LoopDelay;
    runner: LoopResult;
    seeded?: {
      wallMs: number;
      jobs: Awaited<ReturnType<typeof jobTimings>>;
      apiLoopDelayP99Ms: number;
      apiLoopDelayMaxMs: number;
      apiReadsDuring: { count: number; errors: number; latencyMs: Percentiles };
      proposalsAfter: number;
    };
  };
  pipeline?: {
    offersSent: number;
    offersCreated: number;
    errors: number;
    achievedRate: number;
    postMs: Percentiles;
    withProposal: number;
    withoutProposal: number;
    firstProposalMs: Percentiles;
    firstProposalDbMs: Percentiles;
    /** The same split by what proposed first: the offer's own placement, or an optimisation (of the offers placement could not place). */
    firstProposalBy?: { placement: Percentiles; optimisation: Percentiles };
    accepts: { tried: number; accepted: number; conflicts: number; errors: number; withPickup: number; toPickupMs: Percentiles; toPickupDbMs: Percentiles };
    outboxBacklog: { max: number; p95: number; samples: number };
    /** The load's place-offer outbox rows: written (clock_timestamp() in the offer's transaction) → relayed to BullMQ. */
    relayMs?: Percentiles;
    matchingQueueBacklogMax: number;
    outboxDrainMs: number;
    queuesIdleAfterMs: number;
    optimiseJobs: Awaited<ReturnType<typeof jobTimings>>;
    placeJobs: Awaited<ReturnType<typeof jobTimings>>;
  };
  queueThroughput?: {
    jobs: number;
    rounds: number;
    pipelineHandled: number;
    pipelineJobsPerS: number;
    pipelineRuns: number[];
    pipelineMs: number;
    bullmqAloneJobsPerS: number;
    bullmqAloneRuns: number[];
    bullmqAloneMs: number;
    ratio: number;
    ratioRuns: number[];
    handler: string;
    concurrency: number;
  };
  resources: {
    processes: Record<string, ProcessPeaks & { rssAtEndMiB: number }>;
    postgresConnectionsMax: number;
    redis: { usedMemoryMiB: number; benchKeys: number; benchKeysMiB: number; connectedClients: number };
  };
  targets: Array<{ target: string; measured: string; met: boolean | null }>;
  runSeconds?: number;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const database = `inkind_bench_${suffix}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = `inkind-bench-${suffix}`;
  const jwtSecret = randomBytes(32).toString('hex');
  const admin = { email: `bench-admin-${suffix}@example.be`, password: randomBytes(12).toString('hex') };
  const procs: Proc[] = [];
  const sampler = new Sampler(() => procs);
  const results = {
    benchmark: 'performance',
    ...runIdentity(),
    seed,
    machine: { ...machine(), postgres: '', redis: '' },
    settings: { rounds: ROUNDS, secondsPerRun: RUN_S, connections: CONNECTIONS, pipelineSeconds: PIPELINE_S, rate: RATE, queueJobs: QUEUE_JOBS, donorsLoggedIn: DONORS_LOGGED_IN },
    targets: [],
  } as unknown as Results;

  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['PORT', 'APP_ROLE', 'JWT_TTL', 'MATCHING_DEBOUNCE_MS', 'MATCHING_MIN_INTERVAL_MS', 'MATCHING_CANDIDATES', 'OUTBOX_POLL_MS', 'TS_NODE_PROJECT', 'CORS_ORIGINS', 'TRUST_PROXY', 'METRICS_TOKEN', 'LOG_LEVEL']) delete baseEnv[key];
  Object.assign(baseEnv, {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    JWT_SECRET: jwtSecret,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    MATCHING_SWEEP_MS: '0',
    PICKUP_ESCALATION_MS: '0',
    RATE_LIMIT_LOGIN_PER_EMAIL: '1000000',
    RATE_LIMIT_AUTH_PER_IP: '1000000',
  });

  const db = new Client({ connectionString: databaseUrl, application_name: 'inkind-bench' });
  let dbConnected = false;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    // ------------------------------------------------------------ 1. the dataset
    log(`performance benchmark, seed ${seed}, ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${process.version}, commit ${results.commit}`);
    await prepareDatabase(databaseUrl);
    await db.connect();
    dbConnected = true;
    results.machine.postgres = (await db.query('SHOW server_version')).rows[0].server_version;
    results.machine.redis = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '';
    log(`seed: database ${database}`);
    results.seed_ = await seedDatabase(databaseUrl, seed, log);
    if (results.seed_.violations > 0) throw new Error('the seeded data breaks the consistency checks');

    // ------------------------------------------------------------ 2. the matching engine in this process
    {
      const now = new Date('2026-12-01T08:00:00Z');
      const rng = mulberry32(seed);
      const small = makeInstance(rng, 1_000, 1_000, ['clothing-linen'], now, brusselsDate(now));
      const large = makeInstance(rng, 10_000, 2_000, CATEGORIES, now, brusselsDate(now));
      log('matching: 1,000 × 1,000, 3 runs');
      const smallResult = await benchCase('1k x 1k', inputsByCategory(small, 20), 3);
      const largeParts = inputsByCategory(large, 20);
      log(`  allocate() median ${fmtMs(smallResult.allocateMs.median)}; 10,000 × 2,000 over ${largeParts.length} categories, 3 runs`);
      const largeResult = await benchCase('10k x 2k', largeParts, 3, { watchLoop: true });
      log(`  allocate() median ${fmtMs(largeResult.allocateMs.median)}; through AllocationRunner`);
      const runner = await benchRunner(largeParts);
      const { loop, ...largeFigures } = largeResult;
      results.matching = { small: smallResult, large: largeFigures, inlineLoop: loop as LoopDelay, runner };
      log(`  runner: loop p99 ${fmtMs(runner.runner.p99Ms)} (inline ${fmtMs(loop?.p99Ms)})`);
    }

    // ------------------------------------------------------------ 3. baseline and product, side by side
    let mainScript = join('dist', 'src', 'main.js');
    let nodeArgs: string[] = [];
    results.productRuntime = 'node dist/src/main.js (npm run build)';
    if (!useTsNode && builtIsFresh()) {
      log('build: dist/ is newer than every file of src/ and migrations/, not rebuilt');
    } else if (!useTsNode) {
      log('build: npm run build');
      const buildStarted = Date.now();
      try {
        execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        const output = String((error as { stdout?: Buffer }).stdout ?? '') + String((error as { stderr?: Buffer }).stderr ?? '');
        const first = output.split('\n').find((line) => /error/i.test(line))?.replace(/\x1b\[[0-9;]*m/g, '').trim() ?? 'unknown';
        // tsc emits JavaScript despite type errors (as ts-node --transpile-only would run it): use it when it is there.
        const emitted = existsSync(join(REPO, mainScript)) && statSync(join(REPO, mainScript)).mtimeMs >= buildStarted;
        log(`build reported errors (${first}): ${emitted ? 'running the JavaScript it emitted' : 'running from sources with ts-node instead'}`);
        results.productRuntime = `node dist/src/main.js (emitted by npm run build despite: ${first})`;
        if (!emitted) mainScript = 'src/main.ts';
      }
    } else {
      mainScript = 'src/main.ts';
    }
    if (mainScript.endsWith('.ts')) {
      nodeArgs = ['-r', 'ts-node/register/transpile-only'];
      results.productRuntime = 'ts-node --transpile-only src/main.ts';
    }
    // Below the kernel's ephemeral range (32768–60999): a client socket of this very run once took a server's port there.
    const basePort = 21_000 + Math.floor(Math.random() * 5_000);
    const ports = { baseline: basePort, api: basePort + 1, variant: basePort + 2 };
    const baseline = spawnNode('baseline', [join('bench', 'baseline', 'server.js')], { ...process.env, DATABASE_URL: databaseUrl, PORT: String(ports.baseline), JWT_SECRET: jwtSecret, POOL_MAX: '10' });
    procs.push(baseline);
    // The heap bound docker-compose.yml gives the api service (for the compiled product: ts-node compiling needs more).
    const API_NODE_OPTIONS = mainScript.endsWith('.js') ? '--max-old-space-size=128 --max-semi-space-size=8' : '';
    const api = spawnNode('api', [...nodeArgs, mainScript], { ...baseEnv, APP_ROLE: 'api', PORT: String(ports.api), NODE_OPTIONS: API_NODE_OPTIONS });
    procs.push(api);
    const tApi = performance.now();
    await waitUntil('baseline /health', baseline, healthy(ports.baseline), 20_000);
    await waitUntil('API /health', api, healthy(ports.api), 120_000);
    log(`servers: baseline on ${ports.baseline}, product API on ${ports.api} (${results.productRuntime}, healthy after ${fmtMs(performance.now() - tApi)})`);
    sampler.start();

    const login = async (email: string, password: string) => {
      const reply = await request(ports.api, 'POST', '/api/auth/login', { email, password });
      if (reply.status !== 200) throw new Error(`login ${email}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
      return reply.body.accessToken as string;
    };
    const adminToken = await login(admin.email, admin.password);
    const donorTokens: string[] = [];
    for (let i = 0; i < DONORS_LOGGED_IN; i++) donorTokens.push(await login(donorEmail(1 + ((i * 1_237) % 20_000)), BENCH_PASSWORD));

    // Both answer the same?
    const detail: string[] = [];
    let sameWishlist = true;
    for (const [house, category] of [['chantevent', 'clothing-linen'], ['hejmo', 'school-supplies'], ['olivier', 'tools'], ['simbahuis', 'childcare']]) {
      const path = `/api/needs?category=${category}&house=${house}`;
      const [a, b] = [await request(ports.baseline, 'GET', path), await request(ports.api, 'GET', path)];
      const same = a.status === 200 && b.status === 200 && isDeepStrictEqual(a.body, b.body);
      if (!same) detail.push(`wishlist ${path}: baseline ${a.status}, product ${b.status}, bodies differ`);
      sameWishlist &&= same;
    }
    const probe = offerBody(mulberry32(seed ^ 0xbeef), 0, 'Bench probe offer');
    const [ob, op] = [await request(ports.baseline, 'POST', '/api/offers', probe, donorTokens[0]), await request(ports.api, 'POST', '/api/offers', probe, donorTokens[0])];
    const strip = (body: Record<string, unknown>) => ({ ...body, id: undefined, createdAt: undefined, updatedAt: undefined });
    const sameOffer = ob.status === 201 && op.status === 201 && isDeepStrictEqual(strip(ob.body), strip(op.body));
    if (!sameOffer) detail.push(`offer: baseline ${ob.status} ${JSON.stringify(ob.body).slice(0, 300)} / product ${op.status} ${JSON.stringify(op.body).slice(0, 300)}`);
    results.sameAnswers = { wishlist: sameWishlist, offer: sameOffer, detail };
    log(`same answers: wishlist ${sameWishlist}, offer ${sameOffer}${detail.length ? `\n  ${detail.join('\n  ')}` : ''}`);

    // The requests: every house × category for the wishlist; offers from several donors, bodies spread.
    const harRng = mulberry32(seed ^ 0xa11);
    const wishlistRequests: BenchRequest[] = HOUSES.flatMap((h) => CATEGORIES.map((c) => ({ method: 'GET', path: `/api/needs?category=${c}&house=${h.slug}`, headers: { accept: 'application/json' } })));
    wishlistRequests.sort(() => harRng() - 0.5);
    const offerRequests: BenchRequest[] = Array.from({ length: 64 }, (_, i) => ({
      method: 'POST',
      path: '/api/offers',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${donorTokens[i % donorTokens.length]}` },
      body: JSON.stringify(offerBody(harRng, i, 'Bench load offer')),
    }));
    const har = (name: string, port: number, requests: BenchRequest[]) => {
      const file = join(os.tmpdir(), `inkind-bench-${suffix}-${name}-${port}.har`);
      writeHar(file, port, requests);
      return file;
    };

    const runComparison = async (route: string, requests: BenchRequest[]): Promise<Comparison> => {
      const files = { baseline: har(route, ports.baseline, requests), product: har(route, ports.api, requests) };
      log(`${route}: warm-up, 3 s each`);
      await autocannon('baseline', ports.baseline, files.baseline, 3);
      await autocannon('product', ports.api, files.product, 3);
      const pids = { baseline: baseline.child.pid, product: api.child.pid };
      const runs: Record<'baseline' | 'product', CannonRun[]> = { baseline: [], product: [] };
      for (let round = 0; round < ROUNDS; round++) {
        // ABBA: the order alternates, so that a drift of the machine favours neither.
        const order: Array<'baseline' | 'product'> = round % 2 === 0 ? ['baseline', 'product'] : ['product', 'baseline'];
        for (const server of order) {
          const run = await autocannon(server, ports[server === 'baseline' ? 'baseline' : 'api'], files[server], RUN_S, pids[server]);
          runs[server].push(run);
          log(`${route} round ${round + 1} ${server.padEnd(8)}: ${fmtInt(run.rps)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}, CPU ${run.cpuMsPerRequest} ms/request`);
        }
      }
      const comparison = compare(route, runs.baseline, runs.product);
      log(`${route}: product/baseline ${comparison.median.ratio} (rounds ${comparison.roundRatios.join(', ')})`);
      return comparison;
    };
    const wishlistCmp = await runComparison('wishlist', wishlistRequests);
    const offersCmp = await runComparison('offers', offerRequests);
    results.http = { wishlist: wishlistCmp, offers: offersCmp };
    sampler.sample();

    // ------------------------------------------------------------ 4. what each global piece costs
    if (!skipVariants) {
      results.variants = [];
      const ALL = 'request-log,helmet,hooks,context';
      const variants: Array<{ strip: string; fix?: string; routes: string[] }> = [
        { strip: '', routes: ['wishlist', 'offers'] },
        { strip: 'request-log', routes: ['wishlist'] },
        { strip: 'helmet', routes: ['wishlist'] },
        { strip: 'hooks', routes: ['wishlist'] },
        { strip: 'context', routes: ['wishlist'] },
        { strip: ALL, routes: ['wishlist', 'offers'] },
      ];
      for (const variant of variants) {
        const proc = spawnNode('variant', [...nodeArgs, join('bench', 'product-variant.js')], {
          ...baseEnv,
          APP_ROLE: 'api',
          PORT: String(ports.variant),
          BENCH_STRIP: variant.strip,
          BENCH_FIX: variant.fix ?? '',
          // The launcher runs the same code as the product: dist/ when it was built.
          BENCH_APP_DIR: mainScript.endsWith('.js') ? 'dist/src' : 'src',
        });
        try {
          await waitUntil('variant /health', proc, healthy(ports.variant), 120_000);
          for (const route of variant.routes) {
            const requests = route === 'wishlist' ? wishlistRequests : offerRequests;
            const file = har(`${route}-variant`, ports.variant, requests);
            // Long enough for the new process's JIT to settle: its compile threads count in its CPU time.
            await autocannon('variant', ports.variant, file, 4);
            const p = await autocannon('variant', ports.variant, file, VARIANT_S, proc.child.pid);
            const b = await autocannon('baseline', ports.baseline, har(route, ports.baseline, requests), VARIANT_S, baseline.child.pid);
            const entry = {
              strip: variant.fix ? `nothing; fix: ${variant.fix}` : variant.strip === ALL ? `all four (${ALL})` : variant.strip || 'nothing (the launcher itself)',
              route,
              productRps: p.rps,
              productP99: p.p99,
              baselineRps: b.rps,
              ratio: ratioOf(p.rps, b.rps),
              cpuMsPerRequest: p.cpuMsPerRequest,
              baselineCpuMsPerRequest: b.cpuMsPerRequest,
              errors: p.errors + p.non2xx,
            };
            results.variants.push(entry);
            log(`variant without ${entry.strip}, ${route}: ${fmtInt(p.rps)} req/s (p99 ${p.p99} ms, CPU ${p.cpuMsPerRequest} ms/request) vs baseline ${fmtInt(b.rps)} (${b.cpuMsPerRequest} ms): ${entry.ratio}`);
          }
        } finally {
          await stopApp(proc);
        }
      }
    }

    // The load's offers go: the pipeline and the engine then see the seeded data only.
    {
      const t = performance.now();
      // Nothing refers to these offers yet (no worker ran): the foreign-key checks of the delete, which would scan
      // pickups once per offer, are skipped for this one transaction, and the windows go first by hand.
      const load = `SELECT id FROM offers WHERE title LIKE 'Bench load offer %' OR title LIKE 'Bench probe offer %'`;
      await db.query('BEGIN');
      await db.query(`SET LOCAL session_replication_role = replica`);
      await db.query(`DELETE FROM outbox WHERE sent_at IS NULL`);
      await db.query(`DELETE FROM status_changes WHERE subject_type = 'offer' AND subject_id IN (${load})`);
      await db.query(`DELETE FROM offer_windows WHERE offer_id IN (${load})`);
      const gone = await db.query(`DELETE FROM offers WHERE id IN (${load})`);
      await db.query('COMMIT');
      await db.query(`VACUUM ANALYZE offers, offer_windows, status_changes, outbox`);
      log(`cleanup: ${fmtInt(gone.rowCount ?? 0)} offers of the HTTP runs removed in ${fmtMs(performance.now() - t)}`);
    }

    // ------------------------------------------------------------ 5. worker: the engine on the seeded data, the pipeline
    const worker = spawnNode('worker', [...nodeArgs, mainScript], { ...baseEnv, APP_ROLE: 'worker', PORT: String(ports.variant) });
    procs.push(worker);
    await waitUntil('worker start', worker, async () => readFileSync(worker.logFile, 'utf8').includes('Worker started'), 120_000);
    log('worker started');
    const connection = { host: new URL(redisUrl).hostname, port: Number(new URL(redisUrl).port || 6379), maxRetriesPerRequest: null };
    const queues = Object.fromEntries(Object.values(QueueName).map((name) => [name, new Queue(name, { prefix, connection })])) as Record<QueueName, Queue>;
    const pending = async () => Number((await db.query(`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)).rows[0].n);
    const backlogOf = async (...names: QueueName[]) => {
      const counts = await Promise.all(names.map((name) => queues[name].getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')));
      return counts.flatMap((count) => Object.values(count)).reduce((s, n) => s + n, 0);
    };
    const matchingBacklog = () => backlogOf(QueueName.Matching, QueueName.Placement);
    const waitIdle = async (timeoutMs: number) => {
      const deadline = performance.now() + timeoutMs;
      let quiet = 0;
      while (performance.now() < deadline) {
        quiet = (await pending()) === 0 && (await backlogOf(...Object.values(QueueName))) === 0 ? quiet + 1 : 0;
        if (quiet >= 3) return true;
        await sleep(100);
      }
      return false;
    };
    const apiLoopLag = async () => {
      const text = String((await request(ports.api, 'GET', '/metrics', undefined, undefined, 5_000)).body);
      const value = (name: string) => Number(new RegExp(`^inkind_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN) * 1000;
      return { p99: value('p99'), max: value('max') };
    };

    {
      log('matching on the seeded data: every category re-optimised by the worker while the API serves 50 reads a second');
      const since = Date.now();
      await apiLoopLag(); // resets the API's histogram
      const t0 = performance.now();
      await db.query(`INSERT INTO outbox (queue, job_name, payload) SELECT 'matching', 'optimise-category', jsonb_build_object('categoryCode', code) FROM categories`);
      await db.query(`SELECT pg_notify('inkind_outbox', '')`);
      let reading = true;
      const readLatencies: number[] = [];
      let readErrors = 0;
      const reader = (async () => {
        let i = 0;
        const tStart = performance.now();
        const inFlight = new Set<Promise<void>>();
        while (reading) {
          const due = tStart + i * 20;
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          const path = wishlistRequests[i++ % wishlistRequests.length].path;
          const p = request(ports.api, 'GET', path).then(
            (reply) => {
              readLatencies.push(reply.ms);
              if (reply.status !== 200) readErrors++;
            },
            () => {
              readErrors++;
            },
          );
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
        await Promise.all(inFlight);
      })();
      await sleep(500);
      const idle = await waitIdle(120_000);
      const wallMs = performance.now() - t0;
      reading = false;
      await reader;
      const lag = await apiLoopLag();
      const jobs = await jobTimings(redisUrl, prefix, since);
      const proposals = Number((await db.query(`SELECT count(*) AS n FROM matches WHERE status = 'proposed'`)).rows[0].n);
      results.matching.seeded = {
        wallMs: round(wallMs),
        jobs,
        apiLoopDelayP99Ms: round(lag.p99, 1),
        apiLoopDelayMaxMs: round(lag.max, 1),
        apiReadsDuring: { count: readLatencies.length, errors: readErrors, latencyMs: percentiles(readLatencies) },
        proposalsAfter: proposals,
      };
      log(`  ${idle ? 'done' : 'NOT idle'} after ${fmtMs(wallMs)}: ${jobs.count} jobs, run time p50 ${fmtMs(jobs.runMs.p50)} max ${fmtMs(jobs.runMs.max)}; API loop delay p99 ${fmtMs(lag.p99)}, reads p99 ${fmtMs(percentiles(readLatencies).p99)}; ${fmtInt(proposals)} proposals`);
    }

    {
      log(`pipeline: ${RATE} offers a second for ${PIPELINE_S} s, proposals and pickups watched in the database`);
      const rng = mulberry32(seed ^ 0x919e);
      const since = Date.now();
      const sent = new Map<string, { at: number }>();
      /** Per offer with a proposal: POST sent → its first proposal visible. */
      const firstProposalOf = new Map<string, number>();
      // Offers whose own place-offer job proposed something: read while the jobs are still kept
      // (BullMQ keeps the last 1,000 completed), to tell those from the ones an optimisation placed.
      const placedAtOnce = new Set<string>();
      const readPlacements = async () => {
        for (const job of await queues[QueueName.Placement].getCompleted(0, 999)) {
          if (job?.name === 'place-offer' && (job.returnvalue as { proposed?: number } | null)?.proposed) placedAtOnce.add(job.data.offerId);
        }
      };
      const postMs: number[] = [];
      let created = 0;
      let errors = 0;
      let postsInFlight = 0;
      const backlog: number[] = [];
      let matchingBacklogMax = 0;
      const accepts = { tried: 0, accepted: 0, conflicts: 0, errors: 0 };
      const acceptedAt = new Map<string, number>();
      const toPickup: number[] = [];
      const tried = new Set<string>();
      let loadRunning = true;
      let watching = true;

      const watcher = (async () => {
        const watchDb = new Client({ connectionString: databaseUrl, application_name: 'inkind-bench-watch' });
        await watchDb.connect();
        try {
          while (watching) {
            const offerIds = [...sent.keys()];
            if (offerIds.length > 0) {
              const { rows } = await watchDb.query(`SELECT DISTINCT offer_id FROM matches WHERE offer_id = ANY($1::uuid[])`, [offerIds]);
              const now = performance.now();
              for (const row of rows) {
                const offer = sent.get(row.offer_id);
                if (offer) {
                  firstProposalOf.set(row.offer_id, now - offer.at);
                  sent.delete(row.offer_id);
                }
              }
            }
            const matchIds = [...acceptedAt.keys()];
            if (matchIds.length > 0) {
              const { rows } = await watchDb.query(`SELECT id FROM matches WHERE id = ANY($1::uuid[]) AND pickup_id IS NOT NULL`, [matchIds]);
              const now = performance.now();
              for (const row of rows) {
                toPickup.push(now - (acceptedAt.get(row.id) as number));
                acceptedAt.delete(row.id);
              }
            }
            // Every 50 ms: at 20 ms, with a thousand offers still waiting (needs are scarce), these reads took
            // a sixth of a core from the machine under test.
            await sleep(50);
          }
        } finally {
          await watchDb.end();
        }
      })();
      const backlogSampler = (async () => {
        for (let tick = 0; watching; tick++) {
          backlog.push(await pending());
          matchingBacklogMax = Math.max(matchingBacklogMax, await matchingBacklog());
          if (tick % 10 === 0) await readPlacements(); // every 2 s: BullMQ keeps the last 1,000 (20 s of load)
          await sleep(200);
        }
        await readPlacements();
      })();
      const acceptor = (async () => {
        // One acceptance every 250 ms, as an admin, of a proposal the engine made during the load.
        while (loadRunning) {
          await sleep(250);
          const { rows } = await db.query(
            `SELECT id FROM matches WHERE status = 'proposed' AND created_at >= to_timestamp($1) ORDER BY created_at DESC LIMIT 50`,
            [since / 1000],
          );
          const match = rows.find((row) => !tried.has(row.id));
          if (!match) continue;
          tried.add(match.id);
          accepts.tried++;
          const reply = await request(ports.api, 'POST', `/api/matches/${match.id}/accept`, {}, adminToken).catch(() => undefined);
          if (reply?.status === 200) {
            accepts.accepted++;
            acceptedAt.set(match.id, performance.now());
          } else if (reply?.status === 409) accepts.conflicts++;
          else accepts.errors++;
        }
      })();

      sampler.start(250);
      const planned = RATE * PIPELINE_S;
      const interval = 1000 / RATE;
      const tLoad = performance.now();
      const posts: Promise<void>[] = [];
      for (let i = 0; i < planned; i++) {
        const wait = tLoad + i * interval - performance.now();
        if (wait > 0) await sleep(wait);
        const body = offerBody(rng, i, 'Bench pipeline offer');
        const token = donorTokens[i % donorTokens.length];
        postsInFlight++;
        const at = performance.now();
        posts.push(
          request(ports.api, 'POST', '/api/offers', body, token, 15_000).then(
            (reply) => {
              postsInFlight--;
              postMs.push(reply.ms);
              if (reply.status === 201) {
                created++;
                sent.set(reply.body.id, { at });
              } else errors++;
            },
            () => {
              postsInFlight--;
              errors++;
            },
          ),
        );
      }
      await Promise.all(posts);
      const loadSeconds = (performance.now() - tLoad) / 1000;
      loadRunning = false;
      await acceptor;
      const tAfter = performance.now();
      let outboxDrainMs = NaN;
      while (performance.now() - tAfter < 30_000) {
        if ((await pending()) === 0) {
          outboxDrainMs = performance.now() - tAfter;
          break;
        }
        await sleep(25);
      }
      await waitIdle(30_000);
      const queuesIdleAfterMs = performance.now() - tAfter;
      // The last proposals and pickups get a moment to become visible.
      const grace = performance.now();
      while ((sent.size > 0 || acceptedAt.size > 0) && performance.now() - grace < 3_000) await sleep(50);
      watching = false;
      await Promise.all([watcher, backlogSampler]);
      sampler.start();

      const dbLatency = await db.query(
        `SELECT EXTRACT(EPOCH FROM (min(m.created_at) - o.created_at)) * 1000 AS ms FROM offers o JOIN matches m ON m.offer_id = o.id
          WHERE o.title LIKE 'Bench pipeline offer %' GROUP BY o.id, o.created_at`,
      );
      const pickupDb = await db.query(
        `SELECT EXTRACT(EPOCH FROM (p.created_at - m.decided_at)) * 1000 AS ms FROM matches m JOIN pickups p ON p.id = m.pickup_id
          WHERE m.id = ANY($1::uuid[]) AND m.decided_at IS NOT NULL`,
        [[...tried]],
      );
      const relayed = await db.query(
        `SELECT EXTRACT(EPOCH FROM (sent_at - created_at)) * 1000 AS ms FROM outbox
          WHERE job_name = 'place-offer' AND created_at >= to_timestamp($1) AND sent_at IS NOT NULL`,
        [since / 1000],
      );
      const sortedBacklog = backlog.slice().sort((a, b) => a - b);
      results.pipeline = {
        offersSent: planned,
        offersCreated: created,
        errors,
        achievedRate: round(planned / loadSeconds, 1),
        postMs: percentiles(postMs),
        withProposal: firstProposalOf.size,
        withoutProposal: created - firstProposalOf.size,
        firstProposalMs: percentiles([...firstProposalOf.values()]),
        firstProposalDbMs: percentiles(dbLatency.rows.map((r) => Number(r.ms))),
        firstProposalBy: {
          placement: percentiles([...firstProposalOf].filter(([id]) => placedAtOnce.has(id)).map(([, ms]) => ms)),
          optimisation: percentiles([...firstProposalOf].filter(([id]) => !placedAtOnce.has(id)).map(([, ms]) => ms)),
        },
        accepts: { ...accepts, withPickup: toPickup.length, toPickupMs: percentiles(toPickup), toPickupDbMs: percentiles(pickupDb.rows.map((r) => Number(r.ms))) },
        outboxBacklog: { max: sortedBacklog[sortedBacklog.length - 1] ?? 0, p95: sortedBacklog[Math.floor(sortedBacklog.length * 0.95)] ?? 0, samples: backlog.length },
        relayMs: percentiles(relayed.rows.map((r) => Number(r.ms))),
        matchingQueueBacklogMax: matchingBacklogMax,
        outboxDrainMs: round(outboxDrainMs),
        queuesIdleAfterMs: round(queuesIdleAfterMs),
        optimiseJobs: await jobTimings(redisUrl, prefix, since),
        placeJobs: await jobTimings(redisUrl, prefix, since, { queue: QueueName.Placement, name: 'place-offer' }),
      };
      const p = results.pipeline;
      log(
        `  ${p.offersCreated}/${p.offersSent} offers (${p.errors} errors) at ${p.achievedRate}/s, POST p99 ${fmtMs(p.postMs.p99)}; first proposal for ${p.withProposal}: ` +
          `p50 ${fmtMs(p.firstProposalMs.p50)} p95 ${fmtMs(p.firstProposalMs.p95)} p99 ${fmtMs(p.firstProposalMs.p99)} ` +
          `(own placement: ${p.firstProposalBy?.placement.count} offers, p95 ${fmtMs(p.firstProposalBy?.placement.p95 ?? NaN)}; optimisation: ${p.firstProposalBy?.optimisation.count}, p95 ${fmtMs(p.firstProposalBy?.optimisation.p95 ?? NaN)}); accepted ${p.accepts.accepted} → pickup p50 ${fmtMs(p.accepts.toPickupMs.p50)} p95 ${fmtMs(p.accepts.toPickupMs.p95)}; ` +
          `outbox backlog max ${p.outboxBacklog.max}, place-offer rows relayed p50 ${fmtMs(p.relayMs?.p50)} p95 ${fmtMs(p.relayMs?.p95)}, drained ${fmtMs(p.outboxDrainMs)} after the load, queues idle after ${fmtMs(p.queuesIdleAfterMs)}`,
      );
    }

    {
      // Alternating rounds, as for HTTP: the product's worker is warm from the pipeline above, so BullMQ alone
      // gets a warm-up round too, and each side's figure is the median of ROUNDS rounds.
      log(`queue throughput: ${fmtInt(QUEUE_JOBS)} review-pickup jobs through outbox → relay → BullMQ → handler, against BullMQ alone; ${ROUNDS} rounds each, alternating`);
      const events = new QueueEvents('pickups', { prefix, connection });
      await events.waitUntilReady();
      const pending = new Set<string>();
      let lastAt = 0;
      let roundDone: () => void = () => undefined;
      events.on('completed', ({ jobId }) => {
        if (pending.delete(jobId)) {
          lastAt = performance.now();
          if (pending.size === 0) roundDone();
        }
      });
      /** One round through the product: outbox rows inserted and announced as a request would, relayed and handled by the worker. */
      const pipelineRound = async (jobs: number) => {
        const inserted = await db.query(`SELECT gen_random_uuid() AS id FROM generate_series(1, $1)`, [jobs]);
        const ids: string[] = inserted.rows.map((row) => row.id);
        for (const id of ids) pending.add(id);
        const finished = new Promise<void>((r) => (roundDone = r));
        const t0 = performance.now();
        await db.query(
          `INSERT INTO outbox (id, queue, job_name, payload) SELECT id, 'pickups', 'review-pickup', jsonb_build_object('pickupId', gen_random_uuid()) FROM unnest($1::uuid[]) AS id`,
          [ids],
        );
        await db.query(`SELECT pg_notify('inkind_outbox', '')`);
        await Promise.race([finished, sleep(120_000)]);
        const handled = jobs - pending.size;
        pending.clear();
        return { handled, ms: lastAt - t0 };
      };

      const alonePrefix = `${prefix}-alone`;
      const queue = new Queue('alone', { prefix: alonePrefix, connection });
      let aloneLeft = 0;
      let aloneLast = 0;
      let aloneDone: () => void = () => undefined;
      const bullWorker = new Worker('alone', async () => undefined, { prefix: alonePrefix, connection, concurrency: 4 });
      bullWorker.on('completed', () => {
        aloneLast = performance.now();
        if (--aloneLeft === 0) aloneDone();
      });
      await bullWorker.waitUntilReady();
      let aloneRound = 0;
      /** One round of BullMQ alone on the same Redis: addBulk of 200, as the relay adds, and a no-op handler. */
      const bullmqRound = async (jobs: number) => {
        aloneLeft = jobs;
        aloneRound++;
        const finished = new Promise<void>((r) => (aloneDone = r));
        const t0 = performance.now();
        for (let i = 0; i < jobs; i += 200) {
          const count = Math.min(200, jobs - i);
          await queue.addBulk(Array.from({ length: count }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { ...DEFAULT_JOB_OPTIONS, jobId: `a${aloneRound}-${i + k}` } })));
        }
        await Promise.race([finished, sleep(120_000)]);
        return { handled: jobs - aloneLeft, ms: aloneLast - t0 };
      };

      await bullmqRound(QUEUE_JOBS / 4);
      const rates = { pipeline: [] as number[], alone: [] as number[] };
      const times = { pipeline: [] as number[], alone: [] as number[] };
      let pipelineHandled = 0;
      for (let i = 0; i < ROUNDS; i++) {
        // ABBA, as for HTTP: neither side always runs first.
        const order = i % 2 === 0 ? (['pipeline', 'alone'] as const) : (['alone', 'pipeline'] as const);
        for (const side of order) {
          const run = side === 'pipeline' ? await pipelineRound(QUEUE_JOBS) : await bullmqRound(QUEUE_JOBS);
          if (side === 'pipeline') pipelineHandled += run.handled;
          rates[side].push(round((run.handled / run.ms) * 1000));
          times[side].push(round(run.ms));
        }
        log(`  round ${i + 1}: pipeline ${fmtInt(rates.pipeline[i])} jobs/s, BullMQ alone ${fmtInt(rates.alone[i])} jobs/s`);
      }
      await events.close();
      await bullWorker.close();
      await queue.close();
      const pipelineRate = median(rates.pipeline);
      const aloneRate = median(rates.alone);
      results.queueThroughput = {
        jobs: QUEUE_JOBS,
        rounds: ROUNDS,
        pipelineHandled,
        pipelineJobsPerS: pipelineRate,
        pipelineRuns: rates.pipeline,
        pipelineMs: median(times.pipeline),
        bullmqAloneJobsPerS: aloneRate,
        bullmqAloneRuns: rates.alone,
        bullmqAloneMs: median(times.alone),
        ratio: ratioOf(pipelineRate, aloneRate),
        ratioRuns: rates.pipeline.map((rate, i) => ratioOf(rate, rates.alone[i])),
        handler: 'review-pickup of an unknown pickup (one prepared read that finds nothing) vs a no-op handler; addBulk of 200 as the relay does',
        concurrency: 4,
      };
      log(`  pipeline ${fmtInt(pipelineRate)} jobs/s, BullMQ alone ${fmtInt(aloneRate)} jobs/s (medians): ${results.queueThroughput.ratio}`);
    }
    await Promise.all(Object.values(queues).map((queue) => queue.close()));

    // ------------------------------------------------------------ 6. resources
    sampler.sample();
    sampler.stop();
    const processes: Results['resources']['processes'] = {};
    for (const proc of procs) {
      const peaks = sampler.peaks.get(proc.name) ?? { peakRssMiB: NaN, maxPgConnections: NaN, maxRedisConnections: NaN };
      processes[proc.name] = { ...peaks, rssAtEndMiB: round(statusField(proc.child.pid as number, 'VmRSS'), 1) };
    }
    const pgMax = Number(
      (await db.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1`, [database])).rows[0].n,
    );
    let benchKeys = 0;
    let benchBytes = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      benchKeys += keys.length;
      if (keys.length > 0) {
        const pipe = redis.pipeline();
        for (const key of keys) pipe.memory('USAGE', key);
        for (const [, bytes] of (await pipe.exec()) ?? []) benchBytes += Number(bytes) || 0;
      }
    } while (cursor !== '0');
    const memory = await redis.info('memory');
    const clients = await redis.info('clients');
    results.resources = {
      processes,
      postgresConnectionsMax: pgMax,
      redis: {
        usedMemoryMiB: round(Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? NaN) / 2 ** 20, 1),
        benchKeys,
        benchKeysMiB: round(benchBytes / 2 ** 20, 2),
        connectedClients: Number(/connected_clients:(\d+)/.exec(clients)?.[1] ?? NaN),
      },
    };
    log(`resources: ${Object.entries(processes).map(([n, p]) => `${n} peak RSS ${p.peakRssMiB} MiB, PG ${p.maxPgConnections}, Redis ${p.maxRedisConnections}`).join('; ')}; Redis: ${benchKeys} keys, ${results.resources.redis.benchKeysMiB} MiB`);
  } finally {
    sampler.stop();
    for (const proc of procs.reverse()) await stopApp(proc).catch(() => undefined);
    if (dbConnected) await db.end().catch(() => undefined);
    await dropDatabase(database).then(
      () => log(`dropped database ${database}`),
      (error: Error) => log(`could not drop ${database}: ${error.message}`),
    );
    for (const p of [prefix, `${prefix}-alone`]) await dropQueueKeys(redisUrl, p).catch(() => 0);
    redis.disconnect();
  }

  results.targets = targets(results);
  results.machine.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
  results.runSeconds = round((performance.now() - started) / 1000, 1);
  writeFileSync(join(REPO, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  const text = markdown(results);
  console.log('\n' + text + '\n');
  if (standard) {
    writeBenchmarksMd(results);
    log('wrote bench/results.json and the Performance section of BENCHMARKS.md');
  } else {
    log('wrote bench/results.json (BENCHMARKS.md only after a run with the standard settings)');
  }
  log(`done in ${results.runSeconds} s`);
}

// ---------------------------------------------------------------- targets and the table

function targets(r: Results): Results['targets'] {
  const w = r.http?.wishlist;
  const o = r.http?.offers;
  const list: Results['targets'] = [];
  const add = (target: string, measured: string | undefined, met: boolean | undefined) => list.push({ target, measured: measured ?? 'not measured', met: met ?? null });
  add('wishlist read: product ≥ 0.7 × baseline req/s', w && `${w.median.ratio} (${fmtInt(w.median.productRps)} / ${fmtInt(w.median.baselineRps)} req/s)`, w && w.median.ratio >= 0.7);
  add('wishlist read: p99 ≤ 30 ms, 0 errors', w && `p99 ${w.median.productP99} ms, ${w.productErrors} errors`, w && w.median.productP99 <= 30 && w.productErrors === 0);
  add('offer creation: product ≥ 0.5 × baseline req/s', o && `${o.median.ratio} (${fmtInt(o.median.productRps)} / ${fmtInt(o.median.baselineRps)} req/s)`, o && o.median.ratio >= 0.5);
  add('offer creation: p99 ≤ 60 ms, 0 errors', o && `p99 ${o.median.productP99} ms, ${o.productErrors} errors`, o && o.median.productP99 <= 60 && o.productErrors === 0);
  const p = r.pipeline;
  add(`offer → first proposal p95 ≤ 500 ms at ${RATE} offers/s`, p && `p95 ${fmtMs(p.firstProposalMs.p95)} (${p.withProposal} of ${p.offersCreated} offers got one)`, p && p.firstProposalMs.p95 <= 500);
  add('outbox backlog drains within 2 s after the load', p && `${fmtMs(p.outboxDrainMs)} (max backlog ${p.outboxBacklog.max} rows)`, p && p.outboxDrainMs <= 2_000);
  const q = r.queueThroughput;
  add('pipeline throughput ≥ 0.5 × BullMQ alone', q && `${q.ratio} (${fmtInt(q.pipelineJobsPerS)} / ${fmtInt(q.bullmqAloneJobsPerS)} jobs/s)`, q && q.ratio >= 0.5);
  const m = r.matching;
  add('matching 10k × 2k ≤ 2 s', m && `${fmtMs(m.large.allocateMs.median)} (median of 3; CPU time ${fmtMs(m.large.allocateCpuMs.median)})`, m && m.large.allocateMs.median <= 2_000);
  add('API event-loop delay p99 ≤ 50 ms while matching runs', m?.seeded && `${fmtMs(m.seeded.apiLoopDelayP99Ms)} (worker re-optimising the seeded data; in one process through AllocationRunner: ${fmtMs(m.runner.runner.p99Ms)})`, m?.seeded && m.seeded.apiLoopDelayP99Ms <= 50 && m.runner.runner.p99Ms <= 50);
  const apiRss = r.resources?.processes?.api?.peakRssMiB;
  add('API RSS ≤ 250 MB under load', apiRss === undefined ? undefined : `${apiRss} MiB peak (${round((apiRss * 2 ** 20) / 1e6)} MB)`, apiRss === undefined ? undefined : apiRss * 2 ** 20 <= 250e6);
  return list;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

const pcts = (x: Percentiles) => `${fmtMs(x.p50)} / ${fmtMs(x.p95)} / ${fmtMs(x.p99)} / ${fmtMs(x.max)}`;
const runsOf = (runs: CannonRun[], f: (r: CannonRun) => number) => runs.map(f).join(', ');

function markdown(r: Results): string {
  const parts: string[] = [];
  const s = r.seed_;
  parts.push(
    table(
      ['dataset (seed ' + r.seed + ')', 'rows'],
      [
        ['users (4 coordinators, donors, volunteers, the admin)', fmtInt(s.rows.users)],
        ...(['needs', 'offers', 'matches', 'pickups'] as const).map((t) => [t, `${fmtInt(s.rows[t])}: ${Object.entries(s.byStatus[t]).map(([k, n]) => `${k} ${fmtInt(n)}`).join(', ')}`]),
        ['offer windows / status changes / outbox (relayed)', `${fmtInt(s.rows.offer_windows)} / ${fmtInt(s.rows.status_changes)} / ${fmtInt(s.rows.outbox)}`],
        ['seeding time (set-based SQL), consistency checks', `${s.seconds} s, ${s.violations === 0 ? 'all pass' : `${s.violations} violations`} (${s.checksSeconds} s)`],
      ],
    ),
  );
  if (r.http) {
    const row = (c: Comparison): string[][] => [
      [`${c.route}: req/s (runs)`, `${fmtInt(c.median.baselineRps)} (${runsOf(c.baseline, (x) => Math.round(x.rps))})`, `${fmtInt(c.median.productRps)} (${runsOf(c.product, (x) => Math.round(x.rps))})`, `**${c.median.ratio}** (${c.roundRatios.join(', ')})`],
      [`${c.route}: p50 ms (runs)`, `${c.median.baselineP50} (${runsOf(c.baseline, (x) => x.p50)})`, `${c.median.productP50} (${runsOf(c.product, (x) => x.p50)})`, ''],
      [`${c.route}: p99 ms (runs)`, `${c.median.baselineP99} (${runsOf(c.baseline, (x) => x.p99)})`, `**${c.median.productP99}** (${runsOf(c.product, (x) => x.p99)})`, ''],
      [`${c.route}: server CPU ms per request (runs)`, `${c.median.baselineCpuMs} (${runsOf(c.baseline, (x) => x.cpuMsPerRequest)})`, `${c.median.productCpuMs} (${runsOf(c.product, (x) => x.cpuMsPerRequest)})`, `${c.median.cpuRatio} (baseline CPU / product CPU)`],
      [`${c.route}: errors + non-2xx`, String(c.baselineErrors), String(c.productErrors), ''],
    ];
    parts.push(
      '',
      table([`HTTP, ${CONNECTIONS} connections, ${r.settings.rounds} rounds of ${r.settings.secondsPerRun} s, medians`, 'baseline (node:http + pg)', `product (${r.productRuntime})`, 'product / baseline (per round)'], [...row(r.http.wishlist), ...row(r.http.offers)]),
    );
  }
  if (r.variants?.length) {
    parts.push(
      '',
      table(
        [`API without a global piece (bench/product-variant.js), one ${VARIANT_S} s run each, paired with a baseline run`, 'route', 'req/s', 'p99 ms', 'CPU ms/request', 'baseline req/s (CPU ms/request)', 'ratio'],
        r.variants.map((v) => [v.strip, v.route, fmtInt(v.productRps), String(v.productP99), String(v.cpuMsPerRequest), `${fmtInt(v.baselineRps)} (${v.baselineCpuMsPerRequest})`, `**${v.ratio}**`]),
      ),
    );
  }
  const m = r.matching;
  if (m) {
    const rows = [
      ['allocate() 1k × 1k (1 category), median (min – max)', `${fmtMs(m.small.allocateMs.median)} (${fmtMs(m.small.allocateMs.min)} – ${fmtMs(m.small.allocateMs.max)}); optimum/greedy ${m.small.ratio.toFixed(4)}`],
      ['allocate() 10k × 2k (7 categories, summed), median (min – max)', `**${fmtMs(m.large.allocateMs.median)}** (${fmtMs(m.large.allocateMs.min)} – ${fmtMs(m.large.allocateMs.max)}); optimum/greedy ${m.large.ratio.toFixed(4)}`],
      ['CPU time of allocate(), median: 1k × 1k / 10k × 2k (less sensitive to other work on the machine)', `${fmtMs(m.small.allocateCpuMs.median)} / ${fmtMs(m.large.allocateCpuMs.median)}`],
      ['event-loop delay p99 / max of this process: allocate() inline vs AllocationRunner', `${fmtMs(m.inlineLoop.p99Ms)} / ${fmtMs(m.inlineLoop.maxMs)} vs **${fmtMs(m.runner.runner.p99Ms)}** / ${fmtMs(m.runner.runner.maxMs)}`],
    ];
    if (m.seeded) {
      rows.push(
        ['seeded data: every category re-optimised by the worker, wall', `${fmtMs(m.seeded.wallMs)}: ${m.seeded.jobs.count} jobs, run time p50 ${fmtMs(m.seeded.jobs.runMs.p50)} / max ${fmtMs(m.seeded.jobs.runMs.max)}, open offers per job max ${m.seeded.jobs.offersPerJob.max}, ${fmtInt(m.seeded.proposalsAfter)} proposals after`],
        ['API process meanwhile (APP_ROLE=api): event-loop delay p99 / max (its /metrics)', `**${fmtMs(m.seeded.apiLoopDelayP99Ms)}** / ${fmtMs(m.seeded.apiLoopDelayMaxMs)}`],
        ['API reads meanwhile (50/s): count, errors, p50 / p95 / p99 / max', `${m.seeded.apiReadsDuring.count}, ${m.seeded.apiReadsDuring.errors}, ${pcts(m.seeded.apiReadsDuring.latencyMs)}`],
      );
    }
    parts.push('', table(['matching engine', 'value'], rows));
  }
  const p = r.pipeline;
  if (p) {
    parts.push(
      '',
      table(
        [`pipeline, ${r.settings.rate} offers/s for ${r.settings.pipelineSeconds} s (API + worker)`, 'p50 / p95 / p99 / max, or value'],
        [
          ['offers sent / created / errors, rate achieved', `${p.offersSent} / ${p.offersCreated} / ${p.errors}, ${p.achievedRate}/s`],
          ['POST /api/offers response', pcts(p.postMs)],
          ['offers with a proposal / without (needs are scarce: most supply waits)', `${p.withProposal} / ${p.withoutProposal}`],
          ['POST sent → first proposal visible in the database (polled every 50 ms)', `**${pcts(p.firstProposalMs)}**`],
          ['same from the rows\' own timestamps (offer row → first match row)', pcts(p.firstProposalDbMs)],
          ...(p.firstProposalBy
            ? [
                [`of which proposed by the offer's own placement (${p.firstProposalBy.placement.count} offers)`, pcts(p.firstProposalBy.placement)],
                [`of which proposed only by an optimisation (${p.firstProposalBy.optimisation.count} offers)`, pcts(p.firstProposalBy.optimisation)],
              ]
            : []),
          ['acceptances tried / accepted / 409 / errors', `${p.accepts.tried} / ${p.accepts.accepted} / ${p.accepts.conflicts} / ${p.accepts.errors}`],
          ['accept answered → match on a scheduled pickup (visible)', `${pcts(p.accepts.toPickupMs)} (${p.accepts.withPickup} pickups)`],
          ['same from the rows (decided_at → pickup created_at)', pcts(p.accepts.toPickupDbMs)],
          ['outbox backlog during the load: max / p95 (rows not relayed)', `${p.outboxBacklog.max} / ${p.outboxBacklog.p95}`],
          ...(p.relayMs ? [[`place-offer outbox rows: written → relayed to BullMQ (${p.relayMs.count} rows)`, pcts(p.relayMs)]] : []),
          ['matching + placement queue backlog during the load, max (waiting + delayed + active)', String(p.matchingQueueBacklogMax)],
          ['after the load: outbox empty / all queues idle', `**${fmtMs(p.outboxDrainMs)}** / ${fmtMs(p.queuesIdleAfterMs)}`],
          ['place-offer jobs: count, wait, run', `${p.placeJobs.count}, ${pcts(p.placeJobs.waitMs)}, ${pcts(p.placeJobs.runMs)}`],
          ['optimise-category jobs: count, wait (debounce included), run', `${p.optimiseJobs.count}, ${pcts(p.optimiseJobs.waitMs)}, ${pcts(p.optimiseJobs.runMs)}`],
        ],
      ),
    );
  }
  const q = r.queueThroughput;
  if (q) {
    parts.push(
      '',
      table(
        [`queue throughput, ${fmtInt(q.jobs)} jobs a round, concurrency ${q.concurrency}, ${q.rounds} rounds alternating, medians`, 'jobs/s (runs)', 'time'],
        [
          ['outbox → relay → BullMQ → handler (worker process)', `${fmtInt(q.pipelineJobsPerS)} (${q.pipelineRuns.join(', ')})`, fmtMs(q.pipelineMs)],
          ['BullMQ alone, same Redis, no-op handler (after a warm-up round)', `${fmtInt(q.bullmqAloneJobsPerS)} (${q.bullmqAloneRuns.join(', ')})`, fmtMs(q.bullmqAloneMs)],
          ['ratio (per round)', `**${q.ratio}** (${q.ratioRuns.join(', ')})`, ''],
        ],
      ),
    );
  }
  const res = r.resources;
  if (res) {
    parts.push(
      '',
      table(
        ['resources', 'peak RSS (MiB)', 'RSS at end', 'PostgreSQL connections (max)', 'Redis connections (max)'],
        Object.entries(res.processes).map(([name, x]) => [name, String(x.peakRssMiB), String(x.rssAtEndMiB), String(x.maxPgConnections), String(x.maxRedisConnections)]),
      ),
      '',
      `Redis after the run: ${res.redis.benchKeys} keys of this run, ${res.redis.benchKeysMiB} MiB (MEMORY USAGE summed; bounded by removeOnComplete/removeOnFail); whole instance ${res.redis.usedMemoryMiB} MiB, ${res.redis.connectedClients} clients (shared with other work).`,
    );
  }
  parts.push('', table(['target (from the issue)', 'measured', 'met'], r.targets.map((t) => [t.target, t.measured, t.met === null ? 'not measured' : t.met ? '**yes**' : '**no**'])));
  return parts.join('\n');
}

function writeBenchmarksMd(r: Results): void {
  const file = join(REPO, 'BENCHMARKS.md');
  const m = r.machine;
  const section = [
    '## Performance',
    '',
    '`npm run bench` (bench/bench.ts; raw figures in bench/results.json). One run on one machine: the dataset of bench/seed.ts in a',
    'database of its own, the bare server of bench/baseline/server.js (node:http + pg, named prepared statements, the same SQL',
    'work and the same JSON) and the product (API `APP_ROLE=api`, worker `APP_ROLE=worker`, `NODE_ENV=production`, request',
    'logs to a file) side by side; autocannon in a child process, alternating baseline and product (ABBA).',
    'Everything, the benchmark included, shares the 2 cores: the ratios, measured minutes apart, are the figures to compare.',
    '',
    `- machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}`,
    `- date: ${r.date}`,
    `- commit: ${r.commit}${r.srcDiffersFromCommit ? ' (with uncommitted changes in src/ or migrations/ of the working tree)' : ''}`,
    `- run time: ${r.runSeconds} s; load average at start ${m.loadAverageAtStart.join(' / ')}, at end ${(m.loadAverageAtEnd ?? []).join(' / ')}`,
    '',
    markdown(r),
    '',
    '<!-- performance-notes -->',
    '',
  ].join('\n');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  // Notes written by hand below the generated part survive a new run.
  const start = text.search(/^## Performance\s*$/m);
  if (start >= 0) {
    const rest = text.slice(start + 1);
    const next = rest.search(/^## /m);
    const old = next >= 0 ? rest.slice(0, next) : rest;
    const notesAt = old.indexOf('<!-- performance-notes -->');
    const notes = notesAt >= 0 ? old.slice(notesAt + '<!-- performance-notes -->'.length).trim() : '';
    text = text.slice(0, start) + section + (notes ? `\n${notes}\n` : '') + (next >= 0 ? '\n' + rest.slice(next) : '');
  } else {
    const matching = text.search(/^## Matching\s*$/m);
    text = matching >= 0 ? text.slice(0, matching) + section + '\n' + text.slice(matching) : text.replace(/\s*$/, '\n\n') + section;
  }
  writeFileSync(file, text.replace(/\n{3,}/g, '\n\n'));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
