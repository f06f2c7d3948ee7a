// The floors under the gateway: how close to the bare proxy a JS server can stay under load while
// doing only what it cannot skip. Paired slices (see slices.ts), each scenario at the bench's
// concurrency, of a staircase of servers, each doing more than the one before:
// - the bare proxy (bare-proxy.ts): Bun.serve and fetch, bodies streamed through;
// - relay-only (parsing-proxy.ts --relay-only): the request forwarded unread, the answer metered;
// - parsing (parsing-proxy.ts): the request read and parsed too, as a router must;
// - lean gateway (lean-gateway.ts): that plus the key check, the abort plumbing, the answer encoded
//   again and a ledger row per request in SQLite: the bench config's duties without their logic;
// - with --duties, the duties floor (duties-gateway.ts): every duty of the bench config done by the
//   gateway's own code, with none of the plumbing between them; with --without route,provider
//   (or route+provider), one more duties floor for each, doing that duty the lean floor's way;
// - with --gateway, the gateway itself on the bench config;
// - with --burn 10,20, the lean gateway spending that many µs of calibrated extra CPU a request
//   (burn.ts; --burn-kind wide or compact): what a µs of logic measured in-process costs
//   under this load, and how much of it a gateway can add to the floor and keep a ratio.
//
//   bun bench/floor.ts [--scenario TEXT] [--rounds 7] [--slice 1.5] [--concurrency 64] [--duties] [--without route,provider] [--gateway] [--burn 10,20] [--burn-kind wide]
//
// At concurrency C a closed loop waits C ÷ throughput per request (Little's law), so a floor at r
// times the bare proxy's throughput sits about p50 × (1 ÷ r − 1) above its p50: the table prints
// both, and the ratio the 0.5 ms p50 bar would need. Each target's CPU comes with the three
// processes' (load generator, upstream and it) and its budget at 0.75×: the CPU per request at
// which it would be at the throughput bar (see the budget table in report.ts).

import { parseArgs } from "node:util";
import { burnKindOf } from "./burn.ts";
import { scenarioBody, scenariosNamed } from "./compare.ts";
import { besideServer, budgetAtBar, markdownTable } from "./report.ts";
import { medianWithRange, pairedRounds, perRequest, warmUp, WARM_UP_REQUESTS, type SliceTarget } from "./slices.ts";
import type { ServerProcess } from "./processes.ts";
import { percentile } from "./stats.ts";
import {
  createWorkspace, LEAN_GATEWAY_KEY, requestHeaders, startBareProxyProcess, startGateway, startLeanGatewayProcess, startParsingProxyProcess, startUpstreamProcess,
} from "./targets.ts";

const { values: args } = parseArgs({
  options: {
    scenario: { type: "string" },
    rounds: { type: "string", default: "7" },
    slice: { type: "string", default: "1.5" },
    concurrency: { type: "string", default: "64" },
    gateway: { type: "boolean", default: false },
    duties: { type: "boolean", default: false },
    without: { type: "string", default: "" },
    burn: { type: "string", default: "" },
    "burn-kind": { type: "string", default: "wide" },
  },
});
const P50_BAR_MS = 0.5;

const work = createWorkspace();
const upstream = await startUpstreamProcess();
const started = [upstream];
try {
  const targets: SliceTarget[] = [];
  /** A started server as a target in front of the upstream; `key` for one that checks keys. */
  const add = (label: string, server: ServerProcess, key?: string) => {
    started.push(server);
    targets.push({ label, server, headers: requestHeaders(key), upstream });
  };
  add("bare proxy", await startBareProxyProcess(upstream));
  add("relay-only", await startParsingProxyProcess(upstream, true));
  add("parsing", await startParsingProxyProcess(upstream));
  add("lean gateway", await startLeanGatewayProcess(work, upstream), LEAN_GATEWAY_KEY);
  const burnKind = burnKindOf(args["burn-kind"]);
  for (const us of args.burn!.split(",").filter(Boolean).map(Number)) {
    if (!(us > 0)) throw new Error(`--burn takes µs above 0, comma-separated: ${args.burn}`);
    add(`lean +${us} µs ${burnKind}`, await startLeanGatewayProcess(work, upstream, undefined, { us, kind: burnKind }), LEAN_GATEWAY_KEY);
  }
  const ablations = args.without!.split(",").filter(Boolean);
  for (const left of args.duties || ablations.length ? ["", ...ablations] : []) {
    const env = { DUTIES_WITHOUT: left.replaceAll("+", ",") };
    const { server, key } = await startGateway(work, upstream, { label: `duties${left ? `-${left}` : ""}`, duties: true, env });
    add(left ? `duties − ${left}` : "duties floor", server, key);
  }
  if (args.gateway) {
    const { server, key } = await startGateway(work, upstream);
    add("gateway", server, key);
  }
  const concurrency = Number(args.concurrency);
  const rounds = Number(args.rounds);
  console.log(`${rounds} rounds of ${args.slice} s slices at concurrency ${concurrency}, after ${WARM_UP_REQUESTS} warm-up requests per target\n`);
  const rows: string[][] = [];
  for (const scenario of scenariosNamed(args.scenario)) {
    const load = { body: scenarioBody(scenario), stream: scenario.stream, sliceMs: Number(args.slice) * 1000, concurrency };
    await warmUp(work, targets, load);
    const taken = await pairedRounds(work, targets, load, rounds);
    const proxyP50 = percentile(taken.map((round) => round.get("bare proxy")!.p50), 0.5);
    const bar = (proxyP50 / (proxyP50 + P50_BAR_MS)).toFixed(2);
    /** Per request over a target's slices: its own CPU, and the three processes' (see budgetTable in report.ts). */
    const cpuOf = (label: string) => {
      const slices = taken.map((round) => round.get(label)!);
      const others = perRequest(slices, besideServer);
      const own = perRequest(slices);
      return { slices, own, others, all: own + others };
    };
    const proxyAll = cpuOf("bare proxy").all;
    for (const { label } of targets) {
      const ratio = medianWithRange(taken.map((round) => round.get(label)!.rps / round.get("bare proxy")!.rps), 2);
      const delta = medianWithRange(taken.map((round) => round.get(label)!.p50 - round.get("bare proxy")!.p50), 2);
      const { slices, own, others, all } = cpuOf(label);
      const faults = perRequest(slices, (s) => s.faultsPerRequest).toFixed(2);
      const budget = budgetAtBar(proxyAll, others);
      rows.push([
        scenario.name, label, ratio, delta, own.toFixed(0), all.toFixed(0), budget.toFixed(0), faults,
        label === "bare proxy" ? `${proxyP50.toFixed(2)} ms; the p50 bar needs ${bar}×` : "",
      ]);
    }
  }
  const header = [
    "scenario", "target", "req/s ÷ bare proxy (rounds' range)", "p50 Δ ms", "CPU µs/req", "all three µs/req", "budget at 0.75× µs/req", "faults/req",
    "bare proxy p50",
  ];
  console.log(markdownTable(header, rows));
} finally {
  for (const server of started.reverse()) await server.stop();
  work.remove();
}
