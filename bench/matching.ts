/**
 * `npm run bench:matching`: the matching engine's figures, printed as a table, written to
 * bench/results-matching.json and to the "Matching" section of BENCHMARKS.md.
 *
 *   1. allocate() on seeded instances (1k offers × 1k needs; 10k × 2k over the 7 categories),
 *      against a greedy baseline on the same candidate edges, and the main thread's event-loop
 *      delay inline versus through AllocationRunner's worker thread;
 *   2. end to end: the real app on a fresh database, offers at 50/s for 20 s, and the time from
 *      POST /api/offers to the first proposal visible in GET /api/matches.
 *
 * Options: --seed=N (or BENCH_SEED), --skip-e2e, --skip-solver, --runs=N (default 3),
 * --rate=N offers per second (default 50, at most 200), --duration=S seconds (default 20, at most 60),
 * --poll=MS between two polls of a pending offer (default 20, 10 to 1000).
 * BENCHMARKS.md is only rewritten after a full run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brusselsDate } from '../src/common/time/clock';
import { CATEGORIES, makeInstance, mulberry32 } from './matching-data';
import { benchEndToEnd, E2eResult } from './matching-e2e';
import { benchCase, benchRunner, CaseResult, inputsByCategory, LoopDelay, LoopResult, round } from './matching-solver';
import { Machine, machine, REPO, runIdentity } from './run-info';

const CANDIDATES_PER_SIDE = 20;
const TARGET_SOLVE_MS = 2_000;
const TARGET_P95_MS = 500;

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'] as const;
  }),
);
const seed = Number(args.get('seed') ?? process.env.BENCH_SEED ?? 20261201) >>> 0;
const runs = Math.max(1, Math.min(9, Number(args.get('runs') ?? 3)));
const skipE2e = args.has('skip-e2e');
const skipSolver = args.has('skip-solver');
const rate = Math.max(1, Math.min(200, Number(args.get('rate') ?? 50)));
const durationS = Math.max(1, Math.min(60, Number(args.get('duration') ?? 20)));
const pollEveryMs = Math.max(10, Math.min(1000, Number(args.get('poll') ?? 20)));
const standard = rate === 50 && durationS === 20 && runs === 3 && pollEveryMs === 20;

const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const started = performance.now();

interface Results {
  benchmark: 'matching';
  date: string;
  commit: string;
  srcDiffersFromCommit: boolean | null;
  seed: number;
  machine: Machine;
  /** Peak resident memory of the benchmark process (the solver part dominates it). */
  benchMaxRssMiB?: number;
  candidatesPerSide: number;
  solver?: {
    now: string;
    small: CaseResult;
    large: CaseResult;
    /** The 1k × 1k instance again with 100 candidates per side: what the pruning to 20 leaves on the table. */
    widerCandidates: CaseResult;
    eventLoop: { inline: LoopDelay; runner: LoopResult };
  };
  e2e?: E2eResult;
  targets: Array<{ target: string; measured: string; met: boolean | null }>;
  runSeconds?: number;
}

// ---------------------------------------------------------------- formatting

const fmtMs = (ms: number) => (Number.isNaN(ms) ? 'n/a' : ms >= 10_000 ? `${round(ms / 1000, 1)} s` : ms >= 1_000 ? `${round(ms / 1000, 2)} s` : `${round(ms, 1)} ms`);
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (a: number, b: number) => `${round((100 * a) / b, 1)} %`;

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function solverTable(r: NonNullable<Results['solver']>): string {
  const c = [r.small, r.large, r.widerCandidates];
  const col = (f: (x: CaseResult) => string) => c.map(f);
  return table(
    ['', `${fmtInt(r.small.offers)} offers × ${fmtInt(r.small.needs)} needs, 1 category`, `${fmtInt(r.large.offers)} × ${fmtInt(r.large.needs)}, ${r.large.categories} categories (summed)`, `${fmtInt(r.small.offers)} × ${fmtInt(r.small.needs)}, 100 candidates per side`],
    [
      ['allocate(), median of runs (min – max)', ...col((x) => `**${fmtMs(x.allocateMs.median)}** (${fmtMs(x.allocateMs.min)} – ${fmtMs(x.allocateMs.max)}, ${x.allocateMs.runs.length} run${x.allocateMs.runs.length === 1 ? '' : 's'})`)],
      ['CPU time of allocate(), median', ...col((x) => fmtMs(x.allocateCpuMs.median))],
      ['of which: candidate graph / solveTransport', ...col((x) => `${fmtMs(x.candidateGraphMs)} / ${fmtMs(x.solveTransportMs)}`)],
      ['pairs scored → candidate edges kept', ...col((x) => `${fmtInt(x.pairs)} → ${fmtInt(x.candidates)}`)],
      ['augmenting paths', ...col((x) => fmtInt(x.augmentations))],
      ['total score: optimum', ...col((x) => fmtInt(x.totalScore))],
      ['total score: greedy on the same edges', ...col((x) => `${fmtInt(x.greedyScore)} (${fmtMs(x.greedyMs)})`)],
      ['optimum / greedy', ...col((x) => `**${x.ratio.toFixed(4)}**`)],
      ['LP optimum (GLPK) on the same edges: relative gap, time', ...col((x) => (x.lp ? `${x.lp.relativeGap.toExponential(1)} (${fmtMs(x.lp.ms)})` : x.lp === null ? 'glpk.js missing' : '—'))],
      ['units placed: optimum / greedy', ...col((x) => `${fmtInt(x.unitsPlaced)} / ${fmtInt(x.greedyUnits)}`)],
      ['units offered / needed / placeable (Σ min per category)', ...col((x) => `${fmtInt(x.supply)} / ${fmtInt(x.demand)} / ${fmtInt(x.unitsUpperBound)}`)],
      ['share of placeable units placed', ...col((x) => pct(x.unitsPlaced, x.unitsUpperBound))],
      ['needs that get something', ...col((x) => `${fmtInt(x.needsServed)} of ${fmtInt(x.needs)}`)],
      ['largest category: size, allocate() median', ...col((x) => `${x.largestCategory.category} ${fmtInt(x.largestCategory.offers)} × ${fmtInt(x.largestCategory.needs)}: ${fmtMs(x.largestCategory.allocateMs)}`)],
    ],
  );
}

function loopTable(r: NonNullable<Results['solver']>): string {
  const rows = [r.eventLoop.inline, r.eventLoop.runner.runner].map((l) => [l.mode, fmtMs(l.wallMs), fmtMs(l.p50Ms), `**${fmtMs(l.p99Ms)}**`, fmtMs(l.maxMs), fmtInt(l.samples)]);
  return table(['10k × 2k, category by category', 'wall', 'loop delay p50', 'p99', 'max', 'samples'], rows);
}

function e2eTable(e: E2eResult, results: Results): string {
  const p = (x: E2eResult['proposalLatencyMs']) => `${fmtMs(x.p50)} / ${fmtMs(x.p95)} / ${fmtMs(x.p99)} / ${fmtMs(x.max)}`;
  const status = Object.entries(e.engine.matchesByStatus).map(([s, n]) => `${s} ${fmtInt(n)}`).join(', ');
  return table(
    ['end to end', 'value'],
    [
      ['app start (ts-node, fresh database, migrations) → /health 200', `${e.appStartS} s`],
      ['set-up', `4 coordinators, ${e.needsPosted} needs (${fmtInt(e.needUnits)} units), ${e.donors} donors, ${e.setupS} s`],
      ['offers sent / created / errors', `${e.offersSent} / ${e.offersCreated} / ${e.offerErrors} in ${e.sendSeconds} s (${e.achievedRate}/s), ${fmtInt(e.offerUnits)} units`],
      ['offers with a proposal / without', `**${e.withProposal}** / ${e.withoutProposal}`],
      ['POST /api/offers → first proposal visible: p50 / p95 / p99 / max', `**${p(e.proposalLatencyMs)}**`],
      ['POST /api/offers response: p50 / p95 / p99 / max', p(e.postOfferMs)],
      ['GET /api/matches?offerId (polls): count, p50 / p95 / p99 / max', `${fmtInt(e.pollRequests)}, ${p(e.pollMs)}`],
      ['time between two polls of a pending offer: p50 / p95 / p99 / max', p(e.pollGapMs)],
      ['offers whose proposal was already there at their first poll', `${e.foundOnFirstPoll} of ${e.withProposal}`],
      ['same latency from DB timestamps (offer row → first match row): p50 / p95 / p99 / max', p(e.serverSideMs)],
      ['outbox row → relayed to BullMQ: p50 / p95 / p99 / max', p(e.outboxRelayMs)],
      ['optimise-category jobs during the load (failed)', `${fmtInt(e.jobs.count)} (${e.jobs.failed})`],
      ['job added → started (includes its MATCHING_DEBOUNCE_MS, 100 ms by default): p50 / p95 / p99 / max', p(e.jobs.waitMs)],
      ['job run time (optimise one category): p50 / p95 / p99 / max', p(e.jobs.runMs)],
      ['open offers in the category per job: p50 / p95 / max', `${e.jobs.offersPerJob.p50} / ${e.jobs.offersPerJob.p95} / ${e.jobs.offersPerJob.max}`],
      [`CPU during the load (cores of ${results.machine.cpus}): machine / app / PostgreSQL / Redis / benchmark / other`, `${e.cpuDuringLoad.machine} / ${e.cpuDuringLoad.app} / ${e.cpuDuringLoad.postgres} / ${e.cpuDuringLoad.redis} / ${e.cpuDuringLoad.benchmark} / ${e.cpuDuringLoad.other}`],
      ['optimisations logged (created or cancelled something)', fmtInt(e.engine.optimisationsLogged)],
      ['matches at the end', status || 'none'],
      ['proposals superseded by a later optimisation', fmtInt(e.engine.supersededProposals)],
      ['offers with a live proposal at the end', fmtInt(e.engine.offersWithLiveProposal)],
      ['"match-proposed" notifications to coordinators', fmtInt(e.engine.proposedNotifications)],
      ['app shutdown', `${e.shutdown.sent} → exited ${e.shutdown.exit} after ${fmtMs(e.shutdown.ms)}`],
    ],
  );
}

function targetsTable(results: Results): string {
  return table(
    ['target (from the issue)', 'measured', 'met'],
    results.targets.map((t) => [t.target, t.measured, t.met === null ? 'not measured' : t.met ? '**yes**' : '**no**']),
  );
}

function markdown(results: Results): string {
  const parts: string[] = [];
  if (results.solver) {
    parts.push(solverTable(results.solver), '', loopTable(results.solver));
  }
  if (results.e2e) parts.push('', e2eTable(results.e2e, results));
  parts.push('', targetsTable(results));
  return parts.join('\n');
}

function notes(results: Results): string[] {
  const out: string[] = [];
  const s = results.solver;
  if (s) {
    const L = s.large;
    out.push(
      `In the 10k × 2k case the candidate graph (scoring all ${fmtInt(L.pairs)} pairs, keeping the best ${results.candidatesPerSide} per side) takes ${fmtMs(L.candidateGraphMs)} of ${fmtMs(L.allocateMs.median)} (${pct(L.candidateGraphMs, L.allocateMs.median)}); solveTransport ${fmtMs(L.solveTransportMs)}.`,
      `With ${results.candidatesPerSide} candidates per side the optimum places ${pct(s.small.unitsPlaced, s.small.unitsUpperBound)} (1k × 1k) and ${pct(L.unitsPlaced, L.unitsUpperBound)} (10k × 2k) of the units that could be placed; with 100 per side, ${pct(s.widerCandidates.unitsPlaced, s.widerCandidates.unitsUpperBound)} of them at a total score ${pct(s.widerCandidates.totalScore - s.small.totalScore, s.small.totalScore)} higher. Needs of one house sit at one point, so they rank the offers alike and share the same few candidates.`,
      `Inline, the main thread's event loop stalls up to ${fmtMs(s.eventLoop.inline.maxMs)} (p99 ${fmtMs(s.eventLoop.inline.p99Ms)}); through AllocationRunner its p99 is ${fmtMs(s.eventLoop.runner.runner.p99Ms)} (max ${fmtMs(s.eventLoop.runner.runner.maxMs)}). The runner's first large call starts the thread and, from TypeScript sources, compiles it with ts-node: ${fmtMs(s.eventLoop.runner.runnerFirstCallMs)}.`,
    );
  }
  const e = results.e2e;
  if (e) {
    out.push(
      `Polling: a pending offer was polled every ${fmtMs(e.pollGapMs.p50)} (p50; the aim is ~${e.settings.pollEveryMs} ms, at most 16 polls in flight) and a poll took ${fmtMs(e.pollMs.p50)}; ${e.foundOnFirstPoll} of ${e.withProposal} offers already had their proposal at their first poll, so for them the figure is an upper bound. The database's own timestamps give p50 ${fmtMs(e.serverSideMs.p50)} / p95 ${fmtMs(e.serverSideMs.p95)} from the offer row to its first match row (leaving out the request before the offer's transaction and the optimisation's own transaction).`,
      `Where the time goes (p50): POST /api/offers answers in ${fmtMs(e.postOfferMs.p50)}, the outbox relay takes ${fmtMs(e.outboxRelayMs.p50)}, an optimise-category job starts ${fmtMs(e.jobs.waitMs.p50)} after it was added (MATCHING_DEBOUNCE_MS, 100 ms by default, included; 2 jobs at a time for 7 categories) and runs ${fmtMs(e.jobs.runMs.p50)}.`,
      `Churn: ${fmtInt(e.engine.supersededProposals)} proposals were superseded by a later optimisation of their category within the run, and coordinators received ${fmtInt(e.engine.proposedNotifications)} "match-proposed" notifications for ${fmtInt(e.engine.matchesByStatus.proposed ?? 0)} proposals still standing at the end.`,
    );
  }
  const load = results.machine;
  out.push(
    `Load average at start ${load.loadAverageAtStart.join(' / ')}, at end ${(load.loadAverageAtEnd ?? []).join(' / ')}: other work on the machine inflates wall-clock figures; the CPU-time row is less sensitive to it.`,
  );
  return out;
}

function benchmarksSection(results: Results): string {
  const m = results.machine;
  return [
    '## Matching',
    '',
    '`npm run bench:matching` (bench/matching.ts; raw figures in bench/results-matching.json). It seeds its own PRNG',
    `(seed ${results.seed}; \`--seed=N\` to change it): donors in Belgian towns drawn by population, needs at the four houses,`,
    'quantities 1–20 (mostly small), 45 % of needs with a date, every offer with a pickup window ahead,',
    `${results.candidatesPerSide} candidates per side. The 10k × 2k case calls allocate() once per category, as the engine does.`,
    'The greedy baseline sorts the very candidate edges that allocate() hands to the solver by score and gives each',
    'pair min(free supply, free demand). End to end, the real app runs as a child process (ts-node, `APP_ROLE=all`,',
    '`NODE_ENV=development`, `MATCHING_SWEEP_MS=0`, other settings at their defaults) on a fresh database; offers are',
    `sent at ${results.e2e ? results.e2e.settings.rate : '50'}/s from 50 donors to ${results.e2e?.needsPosted ?? 200} open needs, and each pending offer is polled as an admin`,
    '(`GET /api/matches?offerId=`) every ~20 ms at best, with at most 16 polls in flight (the gap actually achieved is in the table).',
    'Everything (the benchmark, the app, PostgreSQL, Redis) runs on the same machine, which other work may share: see the load averages below.',
    '',
    `- machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}`,
    `- date: ${results.date}`,
    `- commit: ${results.commit}${results.srcDiffersFromCommit ? ' (with uncommitted changes in src/ or migrations/)' : ''}`,
    `- run time: ${results.runSeconds} s`,
    '',
    markdown(results),
    '',
    ...notes(results).map((n) => `- ${n}`),
    '',
  ].join('\n');
}

function writeBenchmarksMd(results: Results): void {
  const file = join(REPO, 'BENCHMARKS.md');
  const section = benchmarksSection(results);
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const start = text.search(/^## Matching\s*$/m);
  if (start >= 0) {
    const rest = text.slice(start + 1);
    const next = rest.search(/^## /m);
    text = text.slice(0, start) + section + (next >= 0 ? '\n' + rest.slice(next) : '');
  } else {
    text = text.replace(/\s*$/, '\n\n') + section;
  }
  writeFileSync(file, text.replace(/\n{3,}/g, '\n\n'));
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const results: Results = {
    benchmark: 'matching',
    ...runIdentity(),
    seed,
    machine: machine(),
    candidatesPerSide: CANDIDATES_PER_SIDE,
    targets: [],
  };
  log(`matching benchmark, seed ${seed}, ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${process.version}, commit ${results.commit}`);

  if (!skipSolver) {
    // A fixed "now", so that a seed always gives the same instance.
    const now = new Date('2026-12-01T08:00:00Z');
    const today = brusselsDate(now);
    const rng = mulberry32(seed);
    const small = makeInstance(rng, 1_000, 1_000, ['clothing-linen'], now, today);
    const large = makeInstance(rng, 10_000, 2_000, CATEGORIES, now, today);

    log(`solver: 1,000 × 1,000 (1 category), ${runs} runs`);
    const smallResult = await benchCase('1k x 1k', inputsByCategory(small, CANDIDATES_PER_SIDE), runs, { lpCheck: true });
    log(`  allocate() median ${fmtMs(smallResult.allocateMs.median)}, optimum/greedy ${smallResult.ratio}`);
    log('solver: the same with 100 candidates per side, 1 run');
    const wider = await benchCase('1k x 1k, K=100', inputsByCategory(small, 100), 1);
    log(`  allocate() ${fmtMs(wider.allocateMs.median)}, units placed ${wider.unitsPlaced} (K=20: ${smallResult.unitsPlaced})`);

    const largeParts = inputsByCategory(large, CANDIDATES_PER_SIDE);
    log(`solver: 10,000 × 2,000 over ${largeParts.length} categories, ${runs} runs, event-loop delay watched`);
    const largeResult = await benchCase('10k x 2k', largeParts, runs, { watchLoop: true, lpCheck: true });
    log(`  allocate() summed, median ${fmtMs(largeResult.allocateMs.median)}, optimum/greedy ${largeResult.ratio}, loop p99 ${fmtMs(largeResult.loop?.p99Ms ?? NaN)}`);
    log('solver: 10,000 × 2,000 through AllocationRunner');
    const runner = await benchRunner(largeParts);
    log(`  first call ${fmtMs(runner.runnerFirstCallMs)}, then wall ${fmtMs(runner.runner.wallMs)}, loop p99 ${fmtMs(runner.runner.p99Ms)}`);
    const { loop, ...largeFigures } = largeResult;
    results.solver = {
      now: now.toISOString(),
      small: smallResult,
      large: largeFigures,
      widerCandidates: wider,
      eventLoop: { inline: loop as LoopDelay, runner },
    };
  }

  if (!skipE2e) {
    const e2e = await benchEndToEnd({
      repo: REPO,
      rng: mulberry32(seed ^ 0x5eed),
      needs: 200,
      donors: 50,
      ratePerSecond: rate,
      durationS,
      graceS: 10,
      pollEveryMs,
      maxSeconds: 200,
      log,
    });
    e2e.settings.rate = String(rate);
    e2e.settings.pollEveryMs = String(pollEveryMs);
    results.e2e = e2e;
    log(`  offer → proposal p50 ${fmtMs(e2e.proposalLatencyMs.p50)}, p95 ${fmtMs(e2e.proposalLatencyMs.p95)}, ${e2e.withProposal}/${e2e.offersCreated} with a proposal`);
  }

  const solveMs = results.solver?.large.allocateMs.median;
  const p95 = results.e2e?.proposalLatencyMs.p95;
  results.targets = [
    {
      target: `10k offers × 2k needs solved in ≤ ${TARGET_SOLVE_MS / 1000} s`,
      measured: solveMs === undefined ? 'not run' : `${fmtMs(solveMs)} (median of ${runs}, allocate() summed over categories)`,
      met: solveMs === undefined ? null : solveMs <= TARGET_SOLVE_MS,
    },
    {
      target: `offer-to-proposal p95 ≤ ${TARGET_P95_MS} ms`,
      measured: p95 === undefined ? 'not run' : `${fmtMs(p95)} (${results.e2e?.proposalLatencyMs.count} offers)`,
      met: p95 === undefined ? null : p95 <= TARGET_P95_MS,
    },
  ];
  results.machine.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
  results.benchMaxRssMiB = round(process.resourceUsage().maxRSS / 1024);
  results.runSeconds = round((performance.now() - started) / 1000, 1);

  writeFileSync(join(REPO, 'bench', 'results-matching.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\n' + markdown(results) + '\n');
  for (const note of notes(results)) console.log(`- ${note}`);
  if (!skipE2e && !skipSolver && standard) {
    writeBenchmarksMd(results);
    log('wrote bench/results-matching.json and the Matching section of BENCHMARKS.md');
  } else {
    log('wrote bench/results-matching.json (BENCHMARKS.md only after a full run with the standard settings)');
  }
  log(`done in ${results.runSeconds} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
