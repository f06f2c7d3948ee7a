// A/B of two checkouts of the gateway under the same load, interleaved: each round gives the bare
// proxy, gateway A and gateway B one short slice each, so slow and fast moments of a shared machine
// fall on all three alike. Two bench runs a minute apart differ by more than most changes worth
// measuring; paired slices do not.
//
//   bun bench/ab.ts <checkout A> [checkout B, default: this one] [--scenario TEXT] [--rounds 8] [--slice 1.5] [--concurrency 64]
//                   [--env-a KEY=VALUE,…] [--env-b KEY=VALUE,…]
//
// A and B may be the same checkout with different environments (`--env-b MIMALLOC_PURGE_DELAY=-1`):
// a runtime setting measured as a change.
//
// Prints, per scenario, each target's req/s, CPU µs per request over all its slices and median p50,
// and B's CPU per request next to A's: the median of the per-round ratios and their range.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { scenarioBody, scenariosNamed } from "./compare.ts";
import type { ServerProcess } from "./processes.ts";
import { percentile } from "./stats.ts";
import { medianWithRange, pairedRounds, perRequest, type SliceTarget } from "./slices.ts";
import { createWorkspace, requestHeaders, ROOT, startBareProxyProcess, startGateway, startUpstreamProcess, type Workspace } from "./targets.ts";

interface Flags {
  a: string;
  b: string;
  scenario?: string;
  rounds: number;
  sliceMs: number;
  concurrency: number;
  /** Added to gateway A's and B's environments. */
  env: { A?: Record<string, string>; B?: Record<string, string> };
}

/** `KEY=VALUE,KEY=VALUE` as an environment; a pair without `=` is refused. */
export function envOf(list: string | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(
    list.split(",").map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new Error(`--env-a and --env-b take KEY=VALUE pairs, comma-separated: ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
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
    concurrency: Number(named.get("concurrency") ?? 64),
    env: { A: envOf(named.get("env-a")), B: envOf(named.get("env-b")) },
  };
}

/** A gateway from `checkout` with the bench config, its own ledger and a fresh key. */
async function startGatewayFrom(checkout: string, label: "A" | "B", work: Workspace, upstream: ServerProcess, env?: Record<string, string>): Promise<SliceTarget> {
  const { server, key } = await startGateway(work, upstream, { checkout, label, env });
  return { label, server, headers: requestHeaders(key) };
}

async function main(flags: Flags): Promise<void> {
  const work = createWorkspace();
  const upstream = await startUpstreamProcess();
  const started: ServerProcess[] = [upstream];
  try {
    const proxy = await startBareProxyProcess(upstream);
    started.push(proxy);
    const a = await startGatewayFrom(flags.a, "A", work, upstream, flags.env.A);
    started.push(a.server);
    const b = await startGatewayFrom(flags.b, "B", work, upstream, flags.env.B);
    started.push(b.server);
    const targets: SliceTarget[] = [{ label: "bare proxy", server: proxy, headers: { "content-type": "application/json" } }, a, b];
    const described = (dir: string, env?: Record<string, string>) => (env ? `${dir} with ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")}` : dir);
    console.log(`A: ${described(flags.a, flags.env.A)}\nB: ${described(flags.b, flags.env.B)}\n${flags.rounds} rounds of ${flags.sliceMs / 1000} s slices at concurrency ${flags.concurrency}\n`);
    console.log("| scenario | bare proxy req/s | A req/s | B req/s | proxy CPU µs/req | A CPU µs/req | B CPU µs/req | proxy p50 ms | A p50 ms | B p50 ms | B ÷ A CPU, median of rounds (range) |");
    console.log("|---|---|---|---|---|---|---|---|---|---|---|");
    const scenarios = scenariosNamed(flags.scenario);
    for (const scenario of scenarios) {
      const load = { body: scenarioBody(scenario), stream: scenario.stream, sliceMs: flags.sliceMs, concurrency: flags.concurrency };
      const rounds = await pairedRounds(work, targets, load, flags.rounds);
      const of = (label: string) => rounds.map((round) => round.get(label)!);
      const rps = (label: string) => percentile(of(label).map((s) => s.rps), 0.5).toFixed(0);
      const cpu = (label: string) => perRequest(of(label)).toFixed(0);
      const p50 = (label: string) => percentile(of(label).map((s) => s.p50), 0.5).toFixed(2);
      const ratios = rounds.map((round) => round.get("B")!.cpuUsPerRequest / round.get("A")!.cpuUsPerRequest);
      console.log(
        `| ${scenario.name} | ${rps("bare proxy")} | ${rps("A")} | ${rps("B")} | ${cpu("bare proxy")} | ${cpu("A")} | ${cpu("B")} | ${p50("bare proxy")} | ${p50("A")} | ${p50("B")} | ${medianWithRange(ratios)} |`,
      );
    }
  } finally {
    for (const server of started.reverse()) await server.stop();
    work.remove();
  }
}

if (import.meta.main) await main(parseFlags(process.argv.slice(2)));
