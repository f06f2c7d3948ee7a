// The floor under the latency bars: how close to the bare proxy a JS server can stay under load
// while doing only what a metering router cannot skip. Paired slices (see slices.ts) of the bare
// proxy, the parsing proxy (reads and parses the request, meters the answer) and the relay-only
// proxy (forwards the request unread, meters the answer), each scenario at the bench's concurrency.
//
//   bun bench/floor.ts [--scenario TEXT] [--rounds 7] [--slice 1.5] [--concurrency 64]
//
// At concurrency C a closed loop waits C ÷ throughput per request (Little's law), so a floor at r
// times the bare proxy's throughput sits about p50 × (1 ÷ r − 1) above its p50: the table prints
// both, and the ratio the 0.5 ms p50 bar would need.

import { parseArgs } from "node:util";
import { bodyOf } from "./bodies.ts";
import { SCENARIOS } from "./compare.ts";
import { BENCH_MODEL } from "./gateway-config.ts";
import { markdownTable } from "./report.ts";
import { medianWithRange, pairedRounds, type SliceTarget } from "./slices.ts";
import { percentile } from "./stats.ts";
import { createWorkspace, startBareProxyProcess, startParsingProxyProcess, startUpstreamProcess } from "./targets.ts";

const { values: args } = parseArgs({
  options: {
    scenario: { type: "string" },
    rounds: { type: "string", default: "7" },
    slice: { type: "string", default: "1.5" },
    concurrency: { type: "string", default: "64" },
  },
});
const P50_BAR_MS = 0.5;

const work = createWorkspace();
const upstream = await startUpstreamProcess();
const started = [upstream];
try {
  const json = { "content-type": "application/json" };
  const targets: SliceTarget[] = [];
  for (const [label, start] of [
    ["bare proxy", () => startBareProxyProcess(upstream)],
    ["parsing", () => startParsingProxyProcess(upstream)],
    ["relay-only", () => startParsingProxyProcess(upstream, true)],
  ] as const) {
    const server = await start();
    started.push(server);
    targets.push({ label, server, headers: json });
  }
  const concurrency = Number(args.concurrency);
  const rounds = Number(args.rounds);
  console.log(`${rounds} rounds of ${args.slice} s slices at concurrency ${concurrency}\n`);
  const rows: string[][] = [];
  for (const scenario of SCENARIOS.filter((s) => !args.scenario || s.name.includes(args.scenario))) {
    const load = { body: bodyOf(scenario.shape, BENCH_MODEL, scenario.stream), stream: scenario.stream, sliceMs: Number(args.slice) * 1000, concurrency };
    const taken = await pairedRounds(work, targets, load, rounds);
    const proxyP50 = percentile(taken.map((round) => round.get("bare proxy")!.p50), 0.5);
    const ratio = (label: string) => medianWithRange(taken.map((round) => round.get(label)!.rps / round.get("bare proxy")!.rps), 2);
    const delta = (label: string) => medianWithRange(taken.map((round) => round.get(label)!.p50 - round.get("bare proxy")!.p50), 2);
    rows.push([scenario.name, proxyP50.toFixed(2), (proxyP50 / (proxyP50 + P50_BAR_MS)).toFixed(2), ratio("parsing"), delta("parsing"), ratio("relay-only"), delta("relay-only")]);
  }
  const header = [
    "scenario", "bare proxy p50 ms", "req/s ratio the p50 bar needs",
    "parsing ÷ proxy req/s", "parsing p50 Δ ms", "relay-only ÷ proxy req/s", "relay-only p50 Δ ms",
  ];
  console.log(markdownTable(header, rows));
} finally {
  for (const server of started.reverse()) await server.stop();
  work.remove();
}
