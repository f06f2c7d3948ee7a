// The comparison run: the same load at the same concurrency against every target, for each
// scenario, in interleaved rounds; returns one row per (scenario, target).

import { bodyOf, type BodyShape } from "./bodies.ts";
import { BENCH_MODEL } from "./gateway-config.ts";
import { mergeResults, type LoadResult } from "./load.ts";
import { pairedRounds, perRequest, warmUp } from "./slices.ts";
import type { Target, Workspace } from "./targets.ts";

export interface Scenario {
  name: string;
  shape: BodyShape;
  stream: boolean;
  /**
   * Token frames of the streamed answer, each sent alone after a pause, as a real vendor's come:
   * every one its own read. Without, the upstream's ten frames, which arrive in one read.
   */
  tokens?: number;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: "chat, JSON", shape: "chat", stream: false },
  { name: "chat, stream", shape: "chat", stream: true },
  { name: "agent 30 KB, JSON", shape: "agent", stream: false },
  { name: "agent 30 KB, stream", shape: "agent", stream: true },
];

/**
 * Not one of the four: what a long answer costs through sockets, a token at a time. Its
 * pace bounds its req/s as well as the CPU does; its CPU per request is the measure. Run when named.
 */
export const LONG_STREAM: Scenario = { name: "chat, 200-token stream", shape: "chat", stream: true, tokens: 200 };

/** The scenarios whose name contains `text` (the long stream among them), or, without it, the four. */
export function scenariosNamed(text: string | undefined): readonly Scenario[] {
  if (text === undefined) return SCENARIOS;
  const all = [...SCENARIOS, LONG_STREAM];
  const named = all.filter((scenario) => scenario.name.includes(text));
  if (named.length === 0) throw new Error(`--scenario ${text} names none of: ${all.map((s) => s.name).join("; ")}`);
  return named;
}

/** The request body a scenario sends. */
export function scenarioBody(scenario: Scenario): string {
  return bodyOf(scenario.shape, BENCH_MODEL, scenario.stream, scenario.tokens);
}

export interface LoadSettings {
  concurrency: number;
  /** At most this many recorded requests per target and scenario, over all rounds. */
  requests: number;
  /** At most this long per target and scenario, over all rounds. */
  durationMs: number;
  /** Requests each target answers, unrecorded, before a scenario's first round. */
  warmup: number;
  /** Slices per target and scenario, interleaved (bench/slices.ts). */
  rounds: number;
}

export interface Row {
  scenario: Scenario;
  target: Target["name"];
  /** All rounds' slices as one result. */
  result: LoadResult;
  /** Each round's req/s, in round order: a ratio per round, measured in the same moments. */
  roundRps: number[];
  rssMb: number;
  /** The server's CPU time per request recorded in the rounds, in µs: its cost, whatever the contention. */
  cpuUsPerRequest: number;
  /** Its minor page faults per request recorded in the rounds. */
  faultsPerRequest: number;
  /** The load generator's and the upstream's CPU per request recorded in the same slices, in µs (the upstream's 0 for `direct`, which is the upstream). */
  loadCpuUsPerRequest: number;
  upstreamCpuUsPerRequest: number;
}

/**
 * Every scenario starts with a warm-up of each target alone: a gateway's JIT compiles far more code
 * than a proxy's, a one-time cost that is no request's. Then `rounds` rounds give each target one
 * slice in turn, so a slow moment of the machine falls on all targets alike instead of on whichever
 * ran then; each target's slices are merged into its row.
 */
export async function compare(
  work: Workspace,
  targets: readonly Target[],
  load: LoadSettings,
  log: (line: string) => void,
  scenarios: readonly Scenario[] = SCENARIOS,
) {
  const rows: Row[] = [];
  const upstream = targets.find((target) => target.name === "direct")?.server;
  const sliceTargets = targets.map((target) => ({
    label: target.name, server: target.server, headers: target.headers, upstream: target.name === "direct" ? undefined : upstream,
  }));
  for (const scenario of scenarios) {
    const body = scenarioBody(scenario);
    const { stream } = scenario;
    const sliceLoad = {
      body, stream, concurrency: load.concurrency, sliceMs: load.durationMs / load.rounds, requests: Math.ceil(load.requests / load.rounds),
      keepSamples: true, allowErrors: true,
    };
    await warmUp(work, sliceTargets, { ...sliceLoad, sliceMs: load.durationMs, warmup: load.warmup });
    const rounds = await pairedRounds(work, sliceTargets, sliceLoad, load.rounds);
    for (const target of targets) {
      const slices = rounds.map((round) => round.get(target.name)!);
      const result = mergeResults(slices.map((slice) => slice.result), stream);
      const roundRps = slices.map((slice) => slice.rps);
      rows.push({
        scenario, target: target.name, result, roundRps, rssMb: target.server.rssMb(),
        cpuUsPerRequest: perRequest(slices), faultsPerRequest: perRequest(slices, (s) => s.faultsPerRequest),
        loadCpuUsPerRequest: perRequest(slices, (s) => s.loadCpuUsPerRequest),
        upstreamCpuUsPerRequest: perRequest(slices, (s) => s.upstreamCpuUsPerRequest),
      });
      const failed = result.errors ? `, ${result.errors} errors (first: ${result.firstError})` : "";
      log(`  ${scenario.name} → ${target.name}: ${result.ok} ok in ${result.seconds.toFixed(1)} s over ${load.rounds} rounds${failed}`);
    }
  }
  return rows;
}
