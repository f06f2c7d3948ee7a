// Dispatch micro-benchmark: compile time from YAML, table build time, and per-request dispatch time
// at 10, 100 and 1,000 routes, on the generated config the compiler tests use. Run with
// `bun bench/dispatch.ts`.

import { compileConfig } from "../core/config/compile.ts";
import type { RoutingGraph } from "../core/config/graph.ts";
import { buildDispatchTable, createRequestFacts, type DispatchTable } from "../core/dispatch/index.ts";
import type { ChatRequest } from "../core/kit/canonical.ts";
import { StatsRegistry } from "../core/stats/index.ts";
import { testCatalog } from "../test/config/catalog.ts";
import { generatedConfig } from "../test/config/generated.ts";

const SIZES = [10, 100, 1000];

/** Compiles the generated config; the median of five runs after a warm-up (one run is at the mercy of a collection). */
function compile(routes: number): { graph: RoutingGraph; ms: number } {
  const text = generatedConfig(routes);
  const options = { file: "bench.yaml", env: {}, plugins: testCatalog };
  let graph: RoutingGraph | null = null;
  const times: number[] = [];
  for (let run = 0; run < 6; run++) {
    const start = performance.now();
    const result = compileConfig(text, options);
    if (run > 0) times.push(performance.now() - start);
    graph = result.graph;
    if (!graph) throw new Error(`the generated config did not compile: ${result.diagnostics[0]?.message}`);
  }
  return { graph: graph!, ms: times.sort((a, b) => a - b)[2]! };
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Median and p99 µs per dispatch, over requests spread round-robin across `distinct` models. */
function measure(table: DispatchTable, distinct: number, routes: number): { median: number; p99: number } {
  const stats = new StatsRegistry();
  const request: ChatRequest = { model: "m-0", stream: true, messages: [{ role: "user", content: [{ type: "text", text: "x".repeat(2000) }] }] };
  const iterations = 200_000;
  const samples = new Float64Array(iterations);
  const names = Array.from({ length: distinct }, (_, i) => `m-${(i * 7919) % routes}`);
  const run = (i: number) => {
    const model = names[i % distinct]!;
    const facts = createRequestFacts({ request, model, principal: null, headers: null, classify: () => undefined });
    const result = table.dispatch({ model, facts }, { stats });
    if (!result.ok) throw result.error;
  };
  for (let i = 0; i < 50_000; i++) run(i);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    run(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  samples.sort();
  return { median: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

/**
 * The route-count comparison keeps the traffic the same at every size (ten models, as many as the
 * smallest config has), so it isolates the number of routes. The last column spreads traffic over
 * every model of the config instead: it grows with the working set the requests touch, not with
 * the routes evaluated per request.
 */
const TRAFFIC_MODELS = 10;
const rows: string[][] = [["routes", "compile ms", "build ms", "dispatch median µs", "dispatch p99 µs", "median, every model µs"]];
let baseline = 0;
let last = 0;
for (const [i, routes] of SIZES.entries()) {
  const { graph, ms } = compile(routes);
  // The compiler's garbage must not land in the dispatch samples.
  Bun.gc(true);
  const buildStart = performance.now();
  const table = buildDispatchTable(graph);
  const buildMs = performance.now() - buildStart;
  const { median, p99 } = measure(table, TRAFFIC_MODELS, routes);
  const spread = measure(table, routes, routes);
  if (i === 0) baseline = median;
  last = median;
  rows.push([String(routes), ms.toFixed(1), buildMs.toFixed(2), median.toFixed(2), p99.toFixed(2), spread.median.toFixed(2)]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c]!)).join("  "));
console.log(
  `\ntargets: compile 1,000 routes < 150 ms; dispatch median < 5 µs at 1,000 routes (${last.toFixed(2)}), ≤ 2× the 10-route figure (${(last / baseline).toFixed(2)}×)`,
);
