// Paired slices: each round gives every target one short slice of the same load, in turn, so slow
// and fast moments of a shared machine fall on all of them alike. `bun run bench` (bench/compare.ts),
// bench/ab.ts (two gateways) and bench/floor.ts (the floor proxies) compare their targets this way.

import type { LoadResult, LoadSpec } from "./load.ts";
import type { ServerProcess } from "./processes.ts";
import { percentile } from "./stats.ts";
import { chatUrl, loadInProcess, type Workspace } from "./targets.ts";

export interface SliceTarget {
  label: string;
  server: ServerProcess;
  headers: Record<string, string>;
  /** The upstream behind the server, when that is a process of its own: its CPU is read per slice too. */
  upstream?: ServerProcess;
}

export interface Slice {
  /** Requests recorded. */
  requests: number;
  cpuUsPerRequest: number;
  /** The server's minor page faults per request recorded, all its threads together. */
  faultsPerRequest: number;
  /** The load generator's CPU per request recorded, and the upstream's (0 when the server is the upstream), in µs. */
  loadCpuUsPerRequest: number;
  upstreamCpuUsPerRequest: number;
  rps: number;
  p50: number;
  /** The load generator's result, with its samples when the load asked for them. */
  result: LoadResult;
}

export interface SliceLoad {
  body: string;
  stream: boolean;
  sliceMs: number;
  concurrency?: number;
  /** At most this many recorded requests per slice (default: as many as the slice's time allows). */
  requests?: number;
  /** Requests each slice sends before it records (default 200: the load generator's fresh connections). */
  warmup?: number;
  keepSamples?: boolean;
  /** A slice with errors fails the run (default), or is reported with them. */
  allowErrors?: boolean;
}

/**
 * One load against a server, with per request recorded (the load's lead-in left out): the server's
 * CPU time and page faults, and the CPU of the load generator and of the upstream behind the
 * server, if given. The load generator reads them as its recorded requests start and end.
 */
export async function measuredLoad(work: Workspace, server: ServerProcess, spec: Omit<LoadSpec, "bodyFile" | "watch">, body: string, upstream?: ServerProcess) {
  const result = await loadInProcess(work, { ...spec, watch: upstream ? [server.pid, upstream.pid] : [server.pid] }, body);
  const [served, behind] = result.watched;
  const sent = Math.max(result.sent, 1);
  return {
    result,
    cpuUsPerRequest: (served!.cpuMs * 1000) / sent,
    faultsPerRequest: served!.minorFaults / sent,
    loadCpuUsPerRequest: result.cpuUs / sent,
    upstreamCpuUsPerRequest: behind ? (behind.cpuMs * 1000) / sent : 0,
  };
}

function specOf(target: SliceTarget, load: SliceLoad) {
  return {
    url: chatUrl(target.server), headers: target.headers, stream: load.stream, concurrency: load.concurrency ?? 64,
    requests: load.requests ?? 1_000_000, durationMs: load.sliceMs, warmup: load.warmup ?? 200, keepSamples: load.keepSamples,
  };
}

/**
 * Requests each target gets alone before a scenario is measured. The gateway's JIT threads still
 * took 21 µs of CPU a streamed chat after 5,000 (per thread, /proc/PID/task), 1 µs after 20,000:
 * a server's steady state is after its compile, and the compile competes for the same two cores.
 */
export const WARM_UP_REQUESTS = 20_000;
/** ...or for this long (at least), whichever ends first: the slowest target needs about 6 s. */
const WARM_UP_MS = 10_000;

/**
 * Each target in turn answers the warm-up (`load.warmup`, default WARM_UP_REQUESTS) and nothing
 * else: no request is recorded.
 */
export async function warmUp(work: Workspace, targets: readonly SliceTarget[], load: SliceLoad): Promise<void> {
  const warm = { ...load, sliceMs: Math.max(load.sliceMs, WARM_UP_MS), warmup: load.warmup ?? WARM_UP_REQUESTS };
  for (const target of targets) await loadInProcess(work, { ...specOf(target, warm), requests: 0 }, load.body);
}

async function slice(work: Workspace, target: SliceTarget, load: SliceLoad): Promise<Slice> {
  const spec = specOf(target, load);
  const measured = await measuredLoad(work, target.server, spec, load.body, target.upstream);
  const { result } = measured;
  if (result.errors && !load.allowErrors) throw new Error(`${target.label}: ${result.errors} errors (first: ${result.firstError})`);
  return { ...measured, requests: result.sent, rps: result.rps, p50: result.p50 };
}

/**
 * `rounds` rounds of one slice per target; the order of every target but the first is reversed
 * every other round, so no target always follows the same one. Returns each round's slices by label.
 */
export async function pairedRounds(work: Workspace, targets: readonly SliceTarget[], load: SliceLoad, rounds: number) {
  const taken: Map<string, Slice>[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? targets : [targets[0]!, ...targets.slice(1).reverse()];
    const slices = new Map<string, Slice>();
    for (const target of order) slices.set(target.label, await slice(work, target, load));
    taken.push(slices);
  }
  return taken;
}

/** CPU (or, with `of`, another per-request reading) over all slices: each slice weighted by the requests it sent. */
export const perRequest = (slices: readonly Slice[], of: (slice: Slice) => number = (s) => s.cpuUsPerRequest) =>
  slices.reduce((sum, s) => sum + of(s) * s.requests, 0) / slices.reduce((sum, s) => sum + s.requests, 0);

/** The median of per-round values and their range, as "0.912 (0.850–0.990)". */
export function medianWithRange(values: readonly number[], digits = 3): string {
  const sorted = [...values].sort((x, y) => x - y);
  return `${percentile(values, 0.5).toFixed(digits)} (${sorted[0]!.toFixed(digits)}–${sorted[sorted.length - 1]!.toFixed(digits)})`;
}
