// The comparison run: the same load at the same concurrency against every target, for each
// scenario; returns one row per (scenario, target).

import { bodyOf, type BodyShape } from "./bodies.ts";
import { BENCH_MODEL } from "./gateway-config.ts";
import type { LoadResult, LoadSpec } from "./load.ts";
import type { ServerProcess } from "./processes.ts";
import { loadInProcess, type Target, type Workspace } from "./targets.ts";

export interface Scenario {
  name: string;
  shape: BodyShape;
  stream: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: "chat, JSON", shape: "chat", stream: false },
  { name: "chat, stream", shape: "chat", stream: true },
  { name: "agent 30 KB, JSON", shape: "agent", stream: false },
  { name: "agent 30 KB, stream", shape: "agent", stream: true },
];

export interface LoadSettings {
  concurrency: number;
  requests: number;
  durationMs: number;
  warmup: number;
}

export interface Row {
  scenario: Scenario;
  target: Target["name"];
  result: LoadResult;
  rssMb: number;
  /** The server's CPU time per request sent (warm-up included), in µs: its cost, whatever the contention. */
  cpuUsPerRequest: number;
}

/** One load against a server, with the server's CPU time per request sent (warm-up included). */
export async function measuredLoad(work: Workspace, server: ServerProcess, spec: Omit<LoadSpec, "bodyFile">, body: string) {
  const cpuBefore = server.cpuMs();
  const result = await loadInProcess(work, spec, body);
  const cpuUsPerRequest = ((server.cpuMs() - cpuBefore) * 1000) / (result.sent + spec.warmup);
  return { result, cpuUsPerRequest };
}

export async function compare(
  work: Workspace,
  targets: readonly Target[],
  load: LoadSettings,
  log: (line: string) => void,
  scenarios: readonly Scenario[] = SCENARIOS,
) {
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    const body = bodyOf(scenario.shape, BENCH_MODEL, scenario.stream);
    for (const target of targets) {
      const spec = { url: target.url, headers: target.headers, stream: scenario.stream, ...load };
      const { result, cpuUsPerRequest } = await measuredLoad(work, target.server, spec, body);
      const rssMb = target.server.rssMb();
      rows.push({ scenario, target: target.name, result, rssMb, cpuUsPerRequest });
      const failed = result.errors ? `, ${result.errors} errors (first: ${result.firstError})` : "";
      log(`  ${scenario.name} → ${target.name}: ${result.ok} ok in ${result.seconds.toFixed(1)} s${failed}`);
    }
  }
  return rows;
}
