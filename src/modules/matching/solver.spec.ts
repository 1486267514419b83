import fc from 'fast-check';
import type { GLPK } from 'glpk.js';
import { solveTransport, TransportProblem } from './solver';

// glpk.js ships an ES default export in its types but is a CommonJS factory returning a promise.
const createGlpk = require('glpk.js') as () => Promise<GLPK>;

/** The LP relaxation; a transportation matrix is totally unimodular, so it equals the integer optimum. */
function lpOptimum(glpk: GLPK, problem: TransportProblem): number {
  if (problem.edges.length === 0) return 0;
  const x = (e: number) => `x${e}`;
  const row = (name: string, edgeIds: number[], ub: number) => ({
    name,
    vars: edgeIds.map((e) => ({ name: x(e), coef: 1 })),
    bnds: { type: glpk.GLP_UP, ub, lb: 0 },
  });
  const edgesWhere = (keep: (edge: TransportProblem['edges'][number]) => boolean) =>
    problem.edges.flatMap((edge, e) => (keep(edge) ? [e] : []));
  const subjectTo = [
    ...problem.supplies.map((supply, i) => row(`offer${i}`, edgesWhere((edge) => edge.from === i), supply)),
    ...problem.demands.map((demand, j) => row(`need${j}`, edgesWhere((edge) => edge.to === j), demand)),
  ].filter((constraint) => constraint.vars.length > 0);
  const res = glpk.solve(
    {
      name: 'transport',
      objective: { direction: glpk.GLP_MAX, name: 'weight', vars: problem.edges.map((edge, e) => ({ name: x(e), coef: edge.weight })) },
      subjectTo,
      bounds: problem.edges.map((_, e) => ({ name: x(e), type: glpk.GLP_LO, lb: 0, ub: 0 })),
    },
    { msglev: glpk.GLP_MSG_OFF },
  );
  expect(res.result.status).toBe(glpk.GLP_OPT);
  return res.result.z;
}

const expectClose = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));

// One scale per instance: small integers make near-ties (where greedy goes wrong), doubles test rounding.
const weightScales = [
  fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 1, max: 100 }),
  fc.double({ min: 0.001, max: 1000, noNaN: true }),
];

const transportProblem: fc.Arbitrary<TransportProblem> = fc
  .record({
    offers: fc.integer({ min: 1, max: 12 }),
    needs: fc.integer({ min: 1, max: 12 }),
    weight: fc.constantFrom(...weightScales),
  })
  .chain(({ offers, needs, weight }) =>
    fc.record({
      supplies: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: offers, maxLength: offers }),
      demands: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: needs, maxLength: needs }),
      edges: fc.array(
        fc.record({ from: fc.integer({ min: 0, max: offers - 1 }), to: fc.integer({ min: 0, max: needs - 1 }), weight }),
        // size 'max': fast-check's default size would stop at about ten edges, too few to compete for.
        { maxLength: 3 * Math.max(offers, needs), size: 'max' },
      ),
      // The same pair listed twice with another weight, as a caller merging candidate lists might.
      duplicates: fc.array(fc.record({ of: fc.nat(), weight }), { maxLength: 4 }),
    }),
  )
  .map(({ supplies, demands, edges, duplicates }) => ({
    supplies,
    demands,
    edges: edges.length === 0 ? edges : [...edges, ...duplicates.map((d) => ({ ...edges[d.of % edges.length], weight: d.weight }))],
  }));

/** Takes the best remaining edge first: what a naive matcher would do. */
function greedyWeight(problem: TransportProblem): number {
  const supply = [...problem.supplies];
  const demand = [...problem.demands];
  let total = 0;
  for (const edge of [...problem.edges].sort((a, b) => b.weight - a.weight)) {
    const units = Math.min(supply[edge.from], demand[edge.to]);
    supply[edge.from] -= units;
    demand[edge.to] -= units;
    total += units * edge.weight;
  }
  return total;
}

describe('solveTransport', () => {
  let glpk: GLPK;
  beforeAll(async () => {
    glpk = await createGlpk();
  });

  it('reaches the LP optimum on random instances, within every supply and demand', () => {
    fc.assert(
      fc.property(transportProblem, (problem) => {
        const solution = solveTransport(problem);

        expect(solution.flows).toHaveLength(problem.edges.length);
        expect(solution.flows.filter((flow) => !(Number.isInteger(flow) && flow >= 0))).toEqual([]);
        const sent = problem.supplies.map(() => 0);
        const received = problem.demands.map(() => 0);
        problem.edges.forEach((edge, e) => {
          sent[edge.from] += solution.flows[e];
          received[edge.to] += solution.flows[e];
        });
        expect(sent.flatMap((units, i) => (units > problem.supplies[i] ? [{ offer: i, units }] : []))).toEqual([]);
        expect(received.flatMap((units, j) => (units > problem.demands[j] ? [{ need: j, units }] : []))).toEqual([]);

        const weighed = problem.edges.reduce((sum, edge, e) => sum + solution.flows[e] * edge.weight, 0);
        expectClose(solution.totalWeight, weighed);
        expectClose(solution.totalWeight, lpOptimum(glpk, problem));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('solves the empty problem', () => {
    expect(solveTransport({ supplies: [], demands: [], edges: [] })).toMatchObject({ flows: [], totalWeight: 0 });
  });

  it('leaves a need without candidate pairs unserved', () => {
    const solution = solveTransport({ supplies: [3], demands: [2, 5], edges: [{ from: 0, to: 0, weight: 4 }] });

    expect(solution.flows).toEqual([2]);
    expect(solution.totalWeight).toBe(8);
  });

  it('splits one offer over two needs', () => {
    const solution = solveTransport({
      supplies: [5],
      demands: [2, 3],
      edges: [
        { from: 0, to: 0, weight: 4 },
        { from: 0, to: 1, weight: 3 },
      ],
    });

    expect(solution.flows).toEqual([2, 3]);
    expect(solution.totalWeight).toBe(17);
  });

  it('gives up the best single pair when two good pairs are worth more than it', () => {
    // Offer A can serve X (10) or Y (9); offer B only X (8).
    const problem: TransportProblem = {
      supplies: [1, 1],
      demands: [1, 1],
      edges: [
        { from: 0, to: 0, weight: 10 },
        { from: 0, to: 1, weight: 9 },
        { from: 1, to: 0, weight: 8 },
      ],
    };

    const solution = solveTransport(problem);

    expect(greedyWeight(problem)).toBe(10);
    expect(solution.flows).toEqual([0, 1, 1]);
    expect(solution.totalWeight).toBe(17);
  });

  it.each([0, -1, Number.NaN])('rejects an edge of weight %p', (badWeight) => {
    expect(() =>
      solveTransport({ supplies: [1], demands: [1], edges: [{ from: 0, to: 0, weight: badWeight }] }),
    ).toThrow('edge weights must be positive');
  });
});
