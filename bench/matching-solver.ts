/**
 * Solver figures: allocate() as the engine calls it (one call per category), a greedy baseline
 * over the very same candidate edges, and the main thread's event-loop delay with and without
 * the AllocationRunner's worker thread.
 */
import { IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { allocate, AllocationInput, isCandidate, NeedSide, OfferSide } from '../src/modules/matching/allocation';
import { AllocationRunner, INLINE_PAIRS } from '../src/modules/matching/allocation-runner';
import { scorePair } from '../src/modules/matching/score';
import type { TransportProblem, TransportSolution } from '../src/modules/matching/solver';
import { distanceKm } from '../src/modules/geo/geo';
import { Instance } from './matching-data';

export interface CategoryInput {
  category: string;
  input: AllocationInput;
}

/** What the engine hands to allocate() for each category: that category's open offers and needs. */
export function inputsByCategory(instance: Instance, candidatesPerSide: number): CategoryInput[] {
  const categories = [...new Set([...instance.offers.map((o) => o.category), ...instance.needs.map((n) => n.category)])].sort();
  return categories.map((category) => {
    const offers: OfferSide[] = instance.offers
      .filter((o) => o.category === category)
      .map(({ id, free, condition, size, hasFutureWindow, lat, lng }) => ({ id, free, condition, size, hasFutureWindow, lat, lng }));
    const needs: NeedSide[] = instance.needs
      .filter((n) => n.category === category)
      .map(({ id, houseId, free, urgency, neededBy, createdAt, lat, lng }) => ({ id, houseId, free, urgency, neededBy, createdAt, lat, lng }));
    const offerIds = new Set(offers.map((o) => o.id));
    const declined = new Set([...instance.declined].filter((key) => offerIds.has(key.split(':')[0])));
    return { category, input: { offers, needs, declined, today: instance.today, now: instance.now, candidatesPerSide } };
  });
}

const DAY_MS = 86_400_000;

/**
 * The candidate graph exactly as allocate() builds it (same rule, same score, same best-K per
 * side, same order). Only a fallback: the benchmark normally captures the graph allocate()
 * hands to the solver; if that stops working, greedy runs on this one (and the edge count is checked).
 */
export function candidateProblem(input: AllocationInput): TransportProblem {
  const { offers, needs } = input;
  interface Scored { offer: number; need: number; score: number }
  const perOffer: Scored[][] = offers.map(() => []);
  const perNeed: Scored[][] = needs.map(() => []);
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const facts = needs.map((need) => ({
    daysLeft: need.neededBy ? Math.round((day(need.neededBy) - day(input.today)) / DAY_MS) : null,
    waitingDays: Math.max(0, (input.now.getTime() - need.createdAt.getTime()) / DAY_MS),
  }));
  for (let i = 0; i < offers.length; i++) {
    for (let j = 0; j < needs.length; j++) {
      if (!isCandidate(offers[i], needs[j], input.declined)) continue;
      const score = scorePair({
        urgency: needs[j].urgency,
        daysLeft: facts[j].daysLeft,
        distanceKm: distanceKm(offers[i], needs[j]),
        waitingDays: facts[j].waitingDays,
        condition: offers[i].condition,
        coverage: Math.min(offers[i].free, needs[j].free) / needs[j].free,
      });
      const scored = { offer: i, need: j, score };
      perOffer[i].push(scored);
      perNeed[j].push(scored);
    }
  }
  const kept = new Set<Scored>();
  const keepBest = (list: Scored[]) => {
    if (list.length > input.candidatesPerSide) list.sort((a, b) => b.score - a.score);
    for (let k = 0; k < Math.min(list.length, input.candidatesPerSide); k++) kept.add(list[k]);
  };
  perOffer.forEach(keepBest);
  perNeed.forEach(keepBest);
  return {
    supplies: offers.map((o) => o.free),
    demands: needs.map((n) => n.free),
    edges: [...kept].map((e) => ({ from: e.offer, to: e.need, weight: e.score })),
  };
}

/** The obvious heuristic: best pairs first, each given as much as both sides still allow. */
export function greedy(problem: TransportProblem): { totalWeight: number; units: number } {
  const supply = problem.supplies.slice();
  const demand = problem.demands.slice();
  const order = problem.edges.map((_, e) => e).sort((a, b) => problem.edges[b].weight - problem.edges[a].weight);
  let totalWeight = 0;
  let units = 0;
  for (const e of order) {
    const { from, to, weight } = problem.edges[e];
    const q = Math.min(supply[from], demand[to]);
    if (q <= 0) continue;
    supply[from] -= q;
    demand[to] -= q;
    totalWeight += q * weight;
    units += q;
  }
  return { totalWeight, units };
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: number[]): Spread {
  const sorted = values.slice().sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1], runs: values.map((v) => round(v, 1)) };
}

export const round = (value: number, digits = 0): number => Math.round(value * 10 ** digits) / 10 ** digits;

export interface CaseResult {
  name: string;
  offers: number;
  needs: number;
  categories: number;
  pairs: number;
  candidates: number;
  /** allocate() summed over categories, per run: wall clock, and CPU time of the process. */
  allocateMs: Spread;
  allocateCpuMs: Spread;
  /** Of which (median run): building the candidate graph, and solveTransport. */
  candidateGraphMs: number;
  solveTransportMs: number;
  augmentations: number;
  proposals: number;
  unitsPlaced: number;
  supply: number;
  demand: number;
  /** Σ over categories of min(supply, demand): what a complete candidate graph could place. */
  unitsUpperBound: number;
  needsServed: number;
  totalScore: number;
  greedyScore: number;
  greedyUnits: number;
  greedyMs: number;
  ratio: number;
  /** The same transportation problems solved as LPs by GLPK (glpk.js, a dev dependency): an independent check of optimality. */
  lp?: { optimum: number; relativeGap: number; ms: number } | null;
  /** How the candidate edges were obtained for the greedy baseline. */
  edgesFrom: 'captured from allocate()' | 'rebuilt by the benchmark';
  largestCategory: { category: string; offers: number; needs: number; allocateMs: number };
  /** Event-loop delay of the main thread while these runs went on inline (the engine yields between categories). */
  loop?: LoopDelay;
}

/**
 * The problem allocate() hands to solveTransport, captured by wrapping the module export that
 * allocate() calls (CommonJS: it reads `solver_1.solveTransport` at each call). This process only.
 */
interface Capture {
  problem: TransportProblem;
  totalWeight: number;
  augmentations: number;
  ms: number;
  /** How many times allocate() solved (1 + pricing rounds that added pairs). */
  rounds?: number;
}
let capturing: Capture[] | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const solverExports = require('../src/modules/matching/solver') as { solveTransport: (problem: TransportProblem) => TransportSolution };
const realSolve = solverExports.solveTransport;
solverExports.solveTransport = (problem: TransportProblem) => {
  const t0 = performance.now();
  const solution = realSolve(problem);
  capturing?.push({ problem, totalWeight: solution.totalWeight, augmentations: solution.augmentations, ms: performance.now() - t0 });
  return solution;
};

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** Times allocate() `runs` times over the categories, then compares with greedy on the same edges. */
export async function benchCase(name: string, parts: CategoryInput[], runs: number, options: { watchLoop?: boolean; lpCheck?: boolean } = {}): Promise<CaseResult> {
  const watchLoop = options.watchLoop ?? false;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const solveTimes: number[] = [];
  const perCategoryMs = new Map<string, number[]>();
  let results: ReturnType<typeof allocate>[] = [];
  let captured: Capture[] = [];
  const histogram = watchLoop ? monitorEventLoopDelay({ resolution: 5 }) : undefined;
  const keepAlive = setInterval(() => undefined, 1_000);
  histogram?.enable();
  const tLoop = performance.now();
  try {
    for (let r = 0; r < runs; r++) {
      let total = 0;
      let cpu = 0;
      results = [];
      captured = [];
      for (const part of parts) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        capturing = [];
        const result = allocate(part.input);
        // allocate() may solve several times (pricing rounds): keep the final graph, add up the times.
        const calls: Capture[] = capturing;
        capturing = undefined;
        if (calls.length > 0) {
          const last = calls[calls.length - 1];
          captured.push({
            problem: last.problem,
            totalWeight: last.totalWeight,
            augmentations: calls.reduce((sum, call) => sum + call.augmentations, 0),
            ms: calls.reduce((sum, call) => sum + call.ms, 0),
            rounds: calls.length,
          });
        }
        const ms = performance.now() - t0;
        cpu += cpuMs(c0);
        total += ms;
        results.push(result);
        perCategoryMs.set(part.category, [...(perCategoryMs.get(part.category) ?? []), ms]);
        await yieldToLoop(); // as the engine does: one category per job
      }
      capturing = undefined;
      times.push(total);
      cpuTimes.push(cpu);
      solveTimes.push(captured.length === parts.length ? captured.reduce((s, c) => s + c.ms, 0) : NaN);
    }
  } finally {
    capturing = undefined;
    histogram?.disable();
    clearInterval(keepAlive);
  }
  const loopWallMs = performance.now() - tLoop;

  // The greedy baseline on exactly the candidate edges of the (last) run.
  const viaCapture = captured.length === parts.length;
  let greedyMs = 0;
  let greedyScore = 0;
  let greedyUnits = 0;
  const problems: TransportProblem[] = [];
  parts.forEach((part, k) => {
    const problem = viaCapture ? captured[k].problem : candidateProblem(part.input);
    problems.push(problem);
    if (!viaCapture && problem.edges.length !== results[k].candidates) {
      throw new Error(`the rebuilt candidate graph of ${part.category} differs from allocate()'s: update candidateProblem()`);
    }
    const t0 = performance.now();
    const g = greedy(problem);
    greedyMs += performance.now() - t0;
    greedyScore += g.totalWeight;
    greedyUnits += g.units;
  });

  const medianRun = times.indexOf(spread(times).median);
  const totalScore = results.reduce((s, r) => s + r.totalScore, 0);
  let lp: CaseResult['lp'];
  if (options.lpCheck) {
    const t0 = performance.now();
    const optimum = await lpOptimum(problems);
    lp = optimum === null ? null : { optimum: round(optimum, 1), relativeGap: Math.abs(optimum - totalScore) / optimum, ms: round(performance.now() - t0) };
  }
  const largest = parts.reduce((best, p) => (p.input.offers.length * p.input.needs.length > best.input.offers.length * best.input.needs.length ? p : best));
  const sum = <T>(items: T[], f: (item: T) => number) => items.reduce((s, item) => s + f(item), 0);
  return {
    name,
    offers: sum(parts, (p) => p.input.offers.length),
    needs: sum(parts, (p) => p.input.needs.length),
    categories: parts.length,
    pairs: sum(parts, (p) => p.input.offers.length * p.input.needs.length),
    candidates: sum(results, (r) => r.candidates),
    allocateMs: spread(times),
    allocateCpuMs: spread(cpuTimes),
    candidateGraphMs: round(times[medianRun] - solveTimes[medianRun], 1),
    solveTransportMs: round(solveTimes[medianRun], 1),
    augmentations: viaCapture ? sum(captured, (c) => c.augmentations) : NaN,
    proposals: sum(results, (r) => r.proposals.length),
    unitsPlaced: sum(results, (r) => sum(r.proposals, (p) => p.quantity)),
    supply: sum(parts, (p) => sum(p.input.offers, (o) => o.free)),
    demand: sum(parts, (p) => sum(p.input.needs, (n) => n.free)),
    unitsUpperBound: sum(parts, (p) => Math.min(sum(p.input.offers, (o) => o.free), sum(p.input.needs, (n) => n.free))),
    needsServed: sum(results, (r) => new Set(r.proposals.map((p) => p.needId)).size),
    totalScore: round(totalScore, 1),
    greedyScore: round(greedyScore, 1),
    greedyUnits,
    greedyMs: round(greedyMs, 1),
    ratio: round(totalScore / greedyScore, 4),
    lp,
    edgesFrom: viaCapture ? 'captured from allocate()' : 'rebuilt by the benchmark',
    largestCategory: {
      category: largest.category,
      offers: largest.input.offers.length,
      needs: largest.input.needs.length,
      allocateMs: round(spread(perCategoryMs.get(largest.category) ?? [0]).median, 1),
    },
    loop: histogram ? loopDelayOf('allocate() inline', histogram, loopWallMs) : undefined,
  };
}

/** Σ of the LP optima of the problems (max Σ w·x, Σ per offer ≤ supply, Σ per need ≤ demand, x ≥ 0); null without glpk.js. */
export async function lpOptimum(problems: TransportProblem[]): Promise<number | null> {
  let glpk: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    glpk = await require('glpk.js')();
  } catch {
    return null;
  }
  let total = 0;
  for (const p of problems) {
    const rows = [...p.supplies.map((ub, i) => ({ name: `o${i}`, ub })), ...p.demands.map((ub, j) => ({ name: `n${j}`, ub }))].map((row) => ({
      name: row.name,
      vars: [] as Array<{ name: string; coef: number }>,
      bnds: { type: glpk.GLP_UP, ub: row.ub, lb: 0 },
    }));
    p.edges.forEach((edge, k) => {
      rows[edge.from].vars.push({ name: `x${k}`, coef: 1 });
      rows[p.supplies.length + edge.to].vars.push({ name: `x${k}`, coef: 1 });
    });
    const answer = await glpk.solve(
      {
        name: 'transport',
        objective: { direction: glpk.GLP_MAX, name: 'score', vars: p.edges.map((edge, k) => ({ name: `x${k}`, coef: edge.weight })) },
        subjectTo: rows.filter((row) => row.vars.length > 0),
      },
      { msglev: glpk.GLP_MSG_OFF },
    );
    if (answer.result.status !== glpk.GLP_OPT) throw new Error(`GLPK: status ${answer.result.status}`);
    total += answer.result.z;
  }
  return total;
}

export interface LoopDelay {
  mode: string;
  wallMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
}

function loopDelayOf(mode: string, histogram: IntervalHistogram, wallMs: number): LoopDelay {
  const ms = (ns: number) => round(ns / 1e6, 1);
  return {
    mode,
    wallMs: round(wallMs, 1),
    p50Ms: ms(histogram.percentile(50)),
    p99Ms: ms(histogram.percentile(99)),
    maxMs: ms(histogram.max),
    samples: histogram.count,
  };
}

async function measureLoop(mode: string, work: () => Promise<void>): Promise<LoopDelay> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  // The histogram's timer does not keep the process alive, nor does the runner's unref()'d thread.
  const keepAlive = setInterval(() => undefined, 1_000);
  histogram.enable();
  const t0 = performance.now();
  try {
    await work();
  } finally {
    histogram.disable();
    clearInterval(keepAlive);
  }
  return loopDelayOf(mode, histogram, performance.now() - t0);
}

export interface LoopResult {
  runner: LoopDelay;
  /** The first run() that needs the thread starts it (and, from TypeScript sources, compiles it). */
  runnerFirstCallMs: number;
  inlineThresholdPairs: number;
  categoriesInThread: number;
}

/** One pass over the categories through AllocationRunner (after a first call that starts its thread). */
export async function benchRunner(parts: CategoryInput[]): Promise<LoopResult> {
  const runner = new AllocationRunner();
  try {
    const t0 = performance.now();
    const keepAlive = setInterval(() => undefined, 1_000);
    await runner.run(parts[0].input).finally(() => clearInterval(keepAlive));
    const runnerFirstCallMs = round(performance.now() - t0, 1);
    const threaded = await measureLoop('AllocationRunner (worker thread)', async () => {
      for (const part of parts) await runner.run(part.input);
    });
    return {
      runner: threaded,
      runnerFirstCallMs,
      inlineThresholdPairs: INLINE_PAIRS,
      categoriesInThread: parts.filter((p) => p.input.offers.length * p.input.needs.length >= INLINE_PAIRS).length,
    };
  } finally {
    await runner.onModuleDestroy();
  }
}
