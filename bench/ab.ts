// A/B of two checkouts of the gateway under the same load, interleaved: each round gives the bare
// proxy, gateway A and gateway B one short slice each, so slow and fast moments of a shared machine
// fall on all three alike. Two bench runs a minute apart differ by more than most changes worth
// measuring; paired slices do not.
//
//   bun bench/ab.ts <checkout A> [checkout B, default: this one] [--scenario TEXT] [--rounds 8] [--slice 1.5]
//
// Prints, per scenario, each target's req/s and CPU µs per request over all its slices, and B's CPU
// per request next to A's: the median of the per-round ratios and their range.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { bodyOf } from "./bodies.ts";
import { measuredLoad, SCENARIOS } from "./compare.ts";
import { BENCH_MODEL } from "./gateway-config.ts";
import type { ServerProcess } from "./processes.ts";
import { percentile } from "./stats.ts";
import { chatUrl, createWorkspace, ROOT, startBareProxyProcess, startGateway, startUpstreamProcess, type Workspace } from "./targets.ts";

interface Flags {
  a: string;
  b: string;
  scenario?: string;
  rounds: number;
  sliceMs: number;
}

function parseFlags(argv: readonly string[]): Flags {
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i]!.startsWith("--")) named.set(argv[i]!.slice(2), argv[++i] ?? "");
    else positional.push(argv[i]!);
  }
  const [a, b = ROOT] = positional;
  if (!a) throw new Error("usage: bun bench/ab.ts <checkout A> [checkout B] [--scenario TEXT] [--rounds N] [--slice SECONDS]");
  for (const dir of [a, b]) {
    if (!existsSync(join(dir, "main.ts"))) throw new Error(`${dir} is not a Switchyard checkout (no main.ts)`);
    if (!existsSync(join(dir, "node_modules"))) throw new Error(`${dir} has no node_modules: run npm ci there first`);
  }
  return {
    a: resolve(a),
    b: resolve(b),
    scenario: named.get("scenario"),
    rounds: Number(named.get("rounds") ?? 8),
    sliceMs: Number(named.get("slice") ?? 1.5) * 1000,
  };
}

interface Target {
  label: string;
  server: ServerProcess;
  headers: Record<string, string>;
}

/** A gateway from `checkout` with the bench config, its own ledger and a fresh key. */
async function startGatewayFrom(checkout: string, label: string, work: Workspace, upstream: ServerProcess): Promise<Target> {
  const { server, key } = await startGateway(work, upstream, { checkout, label });
  return { label, server, headers: { "content-type": "application/json", authorization: `Bearer ${key}` } };
}

interface Slice {
  requests: number;
  cpuUsPerRequest: number;
  rps: number;
}

async function slice(work: Workspace, target: Target, body: string, stream: boolean, sliceMs: number): Promise<Slice> {
  const spec = { url: chatUrl(target.server), headers: target.headers, stream, concurrency: 64, requests: 1_000_000, durationMs: sliceMs, warmup: 200 };
  const { result, cpuUsPerRequest } = await measuredLoad(work, target.server, spec, body);
  if (result.errors) throw new Error(`${target.label}: ${result.errors} errors (first: ${result.firstError})`);
  return { requests: result.sent + spec.warmup, cpuUsPerRequest, rps: result.rps };
}

/** CPU per request over all slices: each slice weighted by the requests it sent. */
const perRequest = (slices: Slice[]) =>
  slices.reduce((sum, s) => sum + s.cpuUsPerRequest * s.requests, 0) / slices.reduce((sum, s) => sum + s.requests, 0);

async function main(flags: Flags): Promise<void> {
  const work = createWorkspace();
  const upstream = await startUpstreamProcess();
  const started: ServerProcess[] = [upstream];
  try {
    const proxy = await startBareProxyProcess(upstream);
    started.push(proxy);
    const a = await startGatewayFrom(flags.a, "A", work, upstream);
    started.push(a.server);
    const b = await startGatewayFrom(flags.b, "B", work, upstream);
    started.push(b.server);
    const targets: Target[] = [{ label: "bare proxy", server: proxy, headers: { "content-type": "application/json" } }, a, b];
    console.log(`A: ${flags.a}\nB: ${flags.b}\n${flags.rounds} rounds of ${flags.sliceMs / 1000} s slices at concurrency 64\n`);
    console.log("| scenario | bare proxy req/s | A req/s | B req/s | proxy CPU µs/req | A CPU µs/req | B CPU µs/req | B ÷ A CPU, median of rounds (range) |");
    console.log("|---|---|---|---|---|---|---|---|");
    const scenarios = flags.scenario ? SCENARIOS.filter((s) => s.name.includes(flags.scenario!)) : SCENARIOS;
    for (const scenario of scenarios) {
      const body = bodyOf(scenario.shape, BENCH_MODEL, scenario.stream);
      const slices = new Map<string, Slice[]>(targets.map((t) => [t.label, []]));
      const ratios: number[] = [];
      for (let round = 0; round < flags.rounds; round++) {
        // Alternate the gateways' order too: the slice after the proxy's is not always A's.
        const order = round % 2 === 0 ? targets : [targets[0]!, b, a];
        const taken = new Map<string, Slice>();
        for (const target of order) taken.set(target.label, await slice(work, target, body, scenario.stream, flags.sliceMs));
        for (const [label, s] of taken) slices.get(label)!.push(s);
        const ofA = taken.get("A")!;
        const ofB = taken.get("B")!;
        ratios.push(ofB.cpuUsPerRequest / ofA.cpuUsPerRequest);
      }
      const rps = (label: string) => percentile(slices.get(label)!.map((s) => s.rps), 0.5).toFixed(0);
      const cpu = (label: string) => perRequest(slices.get(label)!).toFixed(0);
      const sorted = [...ratios].sort((x, y) => x - y);
      const range = `${sorted[0]!.toFixed(3)}–${sorted[sorted.length - 1]!.toFixed(3)}`;
      console.log(
        `| ${scenario.name} | ${rps("bare proxy")} | ${rps("A")} | ${rps("B")} | ${cpu("bare proxy")} | ${cpu("A")} | ${cpu("B")} | ${percentile(ratios, 0.5).toFixed(3)} (${range}) |`,
      );
    }
  } finally {
    for (const server of started.reverse()) await server.stop();
    work.remove();
  }
}

await main(parseFlags(process.argv.slice(2)));
