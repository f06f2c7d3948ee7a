// Dispatch micro-benchmark: graph build (and full compile from YAML when the compiler is present)
// and per-request dispatch time at 10, 100 and 1,000 routes. Run with `bun bench/dispatch.ts`.

import { existsSync } from "node:fs";
import type { EndpointSpec, RouteSpec, RoutingGraph } from "../core/config/graph.ts";
import { buildDispatchTable, createRequestFacts } from "../core/dispatch/index.ts";
import { requestCatalogue } from "../core/expr/catalogue.ts";
import { compileExpression } from "../core/expr/compile.ts";
import type { CompiledExpression } from "../core/expr/types.ts";
import type { ChatRequest } from "../core/kit/canonical.ts";
import { priceFromUsdPerMillion } from "../core/money.ts";
import { StatsRegistry } from "../core/stats/index.ts";

const SIZES = [10, 100, 1000];
const PROVIDERS = ["alpha", "beta", "gamma"];
const catalogue = requestCatalogue(new Map());

function when(source: string): CompiledExpression {
  const result = compileExpression(source, catalogue);
  if (!result.ok) throw new Error(`${source}: ${result.errors[0]?.message}`);
  return result.expression;
}

/** N public models of two endpoints each; route i serves model m-i under a token limit, then a catch-all. */
function graphOf(routes: number): RoutingGraph {
  const models = new Map<string, EndpointSpec[]>();
  for (let i = 0; i < routes; i++) {
    models.set(
      `m-${i}`,
      [0, 1].map((k) => {
        const provider = PROVIDERS[(i + k) % PROVIDERS.length]!;
        const price = { input: priceFromUsdPerMillion(0.1 * (k + 1)), output: priceFromUsdPerMillion(0.4 * (k + 1)) };
        return { id: `${provider}/model-${i}`, publicModel: `m-${i}`, provider, providerUse: "openai-compatible", model: `model-${i}`, price, weight: 1, available: true };
      }),
    );
  }
  const specs: RouteSpec[] = [];
  for (let i = 0; i < routes - 1; i++) {
    specs.push({ name: `r-${i}`, index: i, when: when(`model == "m-${i}" and tokens.input < 100000`), to: { kind: "model", name: `m-${i}` }, fallback: [{ kind: "model", name: `m-${(i + 1) % routes}` }] });
  }
  specs.push({ name: "direct", index: routes - 1, to: { kind: "request-model" }, fallback: [] });
  const providers = new Map(PROVIDERS.map((name) => [name, { name, use: "openai-compatible", settings: {}, available: true }]));
  return {
    file: "bench.yaml", server: { host: "127.0.0.1", port: 0, bodyLimit: 1 << 20 }, storage: "sqlite::memory:", pluginDirs: [],
    auth: { use: "none", settings: {} }, fees: { use: "none", settings: {} }, ledger: { flushIntervalMs: 1000 },
    providers, models, pools: new Map(), classifiers: new Map(), routes: specs, secrets: [],
  };
}

function yamlOf(routes: number): string {
  const lines = ["version: 1", "auth: { use: none }", "fees: { use: none }", "providers:"];
  for (const name of PROVIDERS) lines.push(`  ${name}: { use: openai-compatible, base_url: "http://127.0.0.1:9/v1", api_key: key }`);
  lines.push("models:");
  for (let i = 0; i < routes; i++) {
    lines.push(`  m-${i}:`);
    for (const k of [0, 1]) lines.push(`    - { provider: ${PROVIDERS[(i + k) % 3]}, model: model-${i}, price: { input: ${0.1 * (k + 1)}, output: ${0.4 * (k + 1)} } }`);
  }
  lines.push("routes:");
  for (let i = 0; i < routes - 1; i++) {
    lines.push(`  - { name: r-${i}, when: 'model == "m-${i}" and tokens.input < 100000', to: m-${i}, fallback: [m-${(i + 1) % routes}] }`);
  }
  lines.push("  - { name: direct, to: $model }");
  return lines.join("\n") + "\n";
}

/** Full compile from YAML text, when core/config/compile.ts exists; its median time in ms, or a reason. */
async function compileTime(routes: number): Promise<string> {
  const path = new URL("../core/config/compile.ts", import.meta.url).pathname;
  if (!existsSync(path)) return "n/a";
  try {
    const { Type } = await import("@sinclair/typebox");
    const compiler = (await import(path)) as { compileConfig: (text: string, options: object) => { graph: RoutingGraph | null; diagnostics: { message: string }[] } };
    const settings = Type.Object({}, { additionalProperties: true });
    const plugins = { get: (kind: string, name: string) => ({ kind, name, settings }), names: () => ["openai-compatible", "none"] };
    const text = yamlOf(routes);
    const options = { file: "bench.yaml", env: {}, plugins };
    compiler.compileConfig(text, options); // warm-up
    // The median of a few runs: one run is at the mercy of a garbage collection landing in it.
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      const result = compiler.compileConfig(text, options);
      times.push(performance.now() - start);
      if (result.graph === null) return `failed: ${result.diagnostics[0]?.message ?? "no graph"}`;
    }
    return times.sort((a, b) => a - b)[2]!.toFixed(1);
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function benchDispatch(routes: number): { median: number; p99: number; buildMs: number } {
  const graph = graphOf(routes);
  const buildStart = performance.now();
  const table = buildDispatchTable(graph);
  const buildMs = performance.now() - buildStart;
  const stats = new StatsRegistry();
  const request: ChatRequest = { model: "m-0", stream: true, messages: [{ role: "user", content: [{ type: "text", text: "x".repeat(2000) }] }] };
  const iterations = 200_000;
  const samples = new Float64Array(iterations);
  // Requests spread over every model, so each touches a different route, as real traffic would.
  const names = Array.from({ length: routes }, (_, i) => `m-${(i * 7919) % routes}`);
  const run = (i: number) => {
    const model = names[i % routes]!;
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
  return { median: quantile(samples, 0.5), p99: quantile(samples, 0.99), buildMs };
}

const rows: string[][] = [["routes", "build ms", "compile ms", "dispatch median µs", "dispatch p99 µs"]];
let baseline = 0;
// Dispatch is measured before any compile runs, so the compiler's garbage does not land in its samples.
const measured = SIZES.map(benchDispatch);
for (const [i, routes] of SIZES.entries()) {
  const { median, p99, buildMs } = measured[i]!;
  if (i === 0) baseline = median;
  rows.push([String(routes), buildMs.toFixed(2), await compileTime(routes), median.toFixed(2), p99.toFixed(2)]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c]!)).join("  "));
const last = Number(rows[rows.length - 1]![3]);
console.log(`\ntargets: compile 1,000 routes < 150 ms; dispatch median < 5 µs at 1,000 routes (${last.toFixed(2)}), ≤ 2× the 10-route figure (${(last / baseline).toFixed(2)}×)`);
