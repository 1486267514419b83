/**
 * The transportation problem behind matching: offers supply units, needs demand units, and
 * each candidate pair earns a weight per unit sent along it. The solver finds integer flows
 * that maximise the total weight without exceeding any supply or demand.
 *
 * It is a min-cost flow (cost = −weight) solved by successive shortest paths with Dijkstra on
 * reduced costs (Johnson potentials). Each search stops as soon as it reaches the sink; the
 * potentials are then raised by min(d(v), d(sink)), which keeps every reduced cost ≥ 0. It
 * augments only while a path earns something, so it maximises weight, not flow. Integer
 * supplies and demands give integer flows.
 */
export interface TransportProblem {
  supplies: number[];
  demands: number[];
  /** Candidate pairs: from offer index, to need index, weight per unit (> 0). */
  edges: Array<{ from: number; to: number; weight: number }>;
}

export interface TransportSolution {
  /** Units sent along each edge, in the order of problem.edges. */
  flows: number[];
  totalWeight: number;
  augmentations: number;
  /**
   * Node potentials at the optimum (the LP duals, up to a constant). A pair (i, j) that is not
   * an edge would improve the solution only if weight(i, j) > offerPotential[i] − needPotential[j].
   */
  offerPotential: Float64Array;
  needPotential: Float64Array;
}

const EPSILON = 1e-9;

export function solveTransport(problem: TransportProblem): TransportSolution {
  const offers = problem.supplies.length;
  const needs = problem.demands.length;
  const sink = offers + needs;
  const nodes = sink + 1;
  const edgeCount = 2 * (offers + needs + problem.edges.length);

  const head = new Int32Array(nodes).fill(-1);
  const next = new Int32Array(edgeCount);
  const to = new Int32Array(edgeCount);
  const cap = new Float64Array(edgeCount);
  const cost = new Float64Array(edgeCount);
  let edges = 0;
  const addEdge = (u: number, v: number, capacity: number, edgeCost: number): number => {
    to[edges] = v; cap[edges] = capacity; cost[edges] = edgeCost; next[edges] = head[u]; head[u] = edges++;
    to[edges] = u; cap[edges] = 0; cost[edges] = -edgeCost; next[edges] = head[v]; head[v] = edges++;
    return edges - 2;
  };

  let totalSupply = 0;
  for (let i = 0; i < offers; i++) totalSupply += Math.max(0, problem.supplies[i]);
  // A unit may also stay with its donor (weight 0): then every unit can be routed, and
  // maximising weight over all units is the same as the original problem.
  for (let i = 0; i < offers; i++) if (problem.supplies[i] > 0) addEdge(i, sink, totalSupply, 0);
  for (let j = 0; j < needs; j++) if (problem.demands[j] > 0) addEdge(offers + j, sink, problem.demands[j], 0);
  const pairEdge = problem.edges.map((edge) => {
    if (!(edge.weight > 0)) throw new Error('edge weights must be positive');
    return addEdge(edge.from, offers + edge.to, totalSupply, -edge.weight);
  });

  // Initial potentials: the graph is acyclic (offers → needs → sink), so shortest distances
  // from a virtual source at every offer follow in that order.
  const potential = new Float64Array(nodes);
  for (const id of pairEdge) potential[to[id]] = Math.min(potential[to[id]], cost[id]);
  let sinkPotential = 0;
  for (let j = 0; j < needs; j++) sinkPotential = Math.min(sinkPotential, potential[offers + j]);
  potential[sink] = sinkPotential;

  const dist = new Float64Array(nodes).fill(Infinity);
  const viaEdge = new Int32Array(nodes);
  const settledList = new Int32Array(nodes);
  const touched = new Int32Array(nodes);
  const heap = new MinHeap(64);
  let augmentations = 0;

  // Offers with the best pairs first: their paths are the shortest, and later ones reroute less.
  const best = new Float64Array(offers);
  for (const edge of problem.edges) best[edge.from] = Math.max(best[edge.from], edge.weight);
  const order = Array.from({ length: offers }, (_, i) => i).sort((a, b) => best[b] - best[a]);

  for (const origin of order) {
    let excess = Math.max(0, problem.supplies[origin]);
    while (excess > 0) {
      // Dijkstra from this offer, stopped when the sink is settled.
      let settledCount = 0;
      let touchedCount = 0;
      heap.clear();
      dist[origin] = 0;
      touched[touchedCount++] = origin;
      heap.push(origin, 0);
      let reached = false;
      while (heap.size > 0) {
        const key = heap.topKey();
        const u = heap.pop();
        if (key > dist[u]) continue; // stale entry, or already settled (negative mark)
        if (u === sink) {
          reached = true;
          break;
        }
        settledList[settledCount++] = u;
        const du = dist[u];
        dist[u] = -1 - du; // mark settled, keep the distance recoverable
        for (let e = head[u]; e !== -1; e = next[e]) {
          if (cap[e] <= 0) continue;
          const v = to[e];
          const dv = dist[v];
          if (dv < 0) continue; // settled
          const reduced = cost[e] + potential[u] - potential[v];
          const candidate = du + (reduced > 0 ? reduced : 0);
          if (candidate < dv) {
            if (dv === Infinity) touched[touchedCount++] = v;
            dist[v] = candidate;
            viaEdge[v] = e;
            heap.push(v, candidate);
          }
        }
      }
      if (!reached) throw new Error('no path to the sink: the graph is malformed');
      const dSink = dist[sink];
      // Raise potentials by min(d(v), d(sink)): settled nodes by their own distance, all others by
      // d(sink). Only differences of potentials matter, so "all others" costs nothing: the settled
      // nodes are lowered by d(sink) relative to them.
      for (let k = 0; k < settledCount; k++) {
        const v = settledList[k];
        potential[v] += -1 - dist[v] - dSink;
      }

      let push = excess;
      for (let v = sink; v !== origin; v = to[viaEdge[v] ^ 1]) push = Math.min(push, cap[viaEdge[v]]);
      for (let v = sink; v !== origin; v = to[viaEdge[v] ^ 1]) {
        cap[viaEdge[v]] -= push;
        cap[viaEdge[v] ^ 1] += push;
      }
      excess -= push;
      augmentations++;
      for (let k = 0; k < touchedCount; k++) dist[touched[k]] = Infinity;
    }
  }

  const flows = pairEdge.map((id) => Math.round(cap[id ^ 1]));
  const totalWeight = flows.reduce((sum, flow, e) => sum + flow * problem.edges[e].weight, 0);
  return {
    flows,
    totalWeight,
    augmentations,
    offerPotential: potential.slice(0, offers),
    needPotential: potential.slice(offers, offers + needs),
  };
}

/** A binary heap of (node, key) with lazy deletion: stale entries are skipped by the caller. */
class MinHeap {
  private nodes: Int32Array;
  private keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.nodes = new Int32Array(Math.max(16, capacity));
    this.keys = new Float64Array(Math.max(16, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.keys[0];
  }

  push(node: number, key: number): void {
    if (this.size === this.nodes.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.nodes[i] = this.nodes[parent];
      this.keys[i] = this.keys[parent];
      i = parent;
    }
    this.nodes[i] = node;
    this.keys[i] = key;
  }

  pop(): number {
    const top = this.nodes[0];
    const lastNode = this.nodes[--this.size];
    const lastKey = this.keys[this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= lastKey) break;
      this.nodes[i] = this.nodes[child];
      this.keys[i] = this.keys[child];
      i = child;
    }
    this.nodes[i] = lastNode;
    this.keys[i] = lastKey;
    return top;
  }

  private grow(): void {
    const nodes = new Int32Array(this.nodes.length * 2);
    const keys = new Float64Array(this.keys.length * 2);
    nodes.set(this.nodes);
    keys.set(this.keys);
    this.nodes = nodes;
    this.keys = keys;
  }
}
