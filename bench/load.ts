// The load generator, run in its own process: fixed concurrency, a bounded count or duration, one
// body. `bun bench/load.ts SPEC.json` prints a LoadResult as JSON on stdout.

import { processCpuMs, processMinorFaults } from "./processes.ts";
import { percentile } from "./stats.ts";

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  /** Path of a file holding the request body. */
  bodyFile: string;
  stream: boolean;
  concurrency: number;
  /** Stop after this many recorded requests or this many ms, whichever comes first. */
  requests: number;
  durationMs: number;
  /** Requests sent first and not recorded (JIT, connection pool). */
  warmup: number;
  /** Return the recorded latencies too, so that several runs can be merged (mergeResults). */
  keepSamples?: boolean;
  /** Processes (a server, its upstream) whose CPU and page faults are read over the recorded requests alone. */
  watch?: number[];
}

/** What a watched process spent while the requests were recorded. */
export interface Watched {
  cpuMs: number;
  minorFaults: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  ttftP50: number | null;
  ttftP99: number | null;
  overheadP50: number | null;
  /** CPU time of this process over the recorded requests, in µs: the load's own share of the cores. */
  cpuUs: number;
  /** Each of `spec.watch`, in its order. */
  watched: Watched[];
  samples?: Samples;
}

/** Recorded latencies in ms: totals, times to first byte (streams only), and the gateway's own overhead header. */
export interface Samples {
  totals: number[];
  ttfts: number[];
  overheads: number[];
}

const decoder = new TextDecoder();

interface Sample {
  total: number;
  ttft: number;
  overhead: number;
}

/** One request, timed; a stream counts as complete only if its last frame is [DONE]. */
async function once(spec: LoadSpec, body: string): Promise<Sample> {
  const start = performance.now();
  const response = await fetch(spec.url, { method: "POST", headers: spec.headers, body });
  const overhead = Number(response.headers.get("x-switchyard-overhead-ms") ?? Number.NaN);
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  if (!spec.stream) {
    await response.arrayBuffer();
    const total = performance.now() - start;
    return { total, ttft: total, overhead };
  }
  const reader = response.body!.getReader();
  let ttft = Number.NaN;
  let last: Uint8Array | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (Number.isNaN(ttft)) ttft = performance.now() - start;
    last = value;
  }
  const total = performance.now() - start;
  if (!last || !decoder.decode(last).includes("[DONE]")) throw new Error("stream ended without [DONE]");
  return { total, ttft, overhead };
}

interface Recorder extends Samples {
  errors: number;
  firstError: string | null;
}

/** `concurrency` workers sending `body` until `count` requests are issued or `durationMs` passed. */
async function phase(spec: LoadSpec, body: string, count: number, durationMs: number, into: Recorder): Promise<number> {
  const deadline = performance.now() + durationMs;
  let issued = 0;
  const worker = async () => {
    while (issued < count && performance.now() < deadline) {
      issued++;
      try {
        const sample = await once(spec, body);
        into.totals.push(sample.total);
        if (spec.stream) into.ttfts.push(sample.ttft);
        if (!Number.isNaN(sample.overhead)) into.overheads.push(sample.overhead);
      } catch (error) {
        into.errors++;
        into.firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  return issued;
}

const recorder = (): Recorder => ({ totals: [], ttfts: [], overheads: [], errors: 0, firstError: null });

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const body = await Bun.file(spec.bodyFile).text();
  const warm = recorder();
  await phase(spec, body, spec.warmup, spec.durationMs, warm);
  const watch = spec.watch ?? [];
  const watchedBefore = watch.map(readWatched);
  const cpuBefore = process.cpuUsage();
  const run = recorder();
  const started = performance.now();
  const sent = await phase(spec, body, spec.requests, spec.durationMs, run);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const watched = watch.map((pid, i) => {
    const now = readWatched(pid);
    return { cpuMs: now.cpuMs - watchedBefore[i]!.cpuMs, minorFaults: now.minorFaults - watchedBefore[i]!.minorFaults };
  });
  const counts = { sent, errors: run.errors, firstError: run.firstError ?? warm.firstError, seconds, cpuUs: cpu.user + cpu.system, watched };
  const result = summarize(run, counts, spec.stream);
  if (spec.keepSamples) result.samples = { totals: run.totals, ttfts: run.ttfts, overheads: run.overheads };
  return result;
}

const readWatched = (pid: number): Watched => ({ cpuMs: processCpuMs(pid), minorFaults: processMinorFaults(pid) });

type Counts = Pick<LoadResult, "sent" | "errors" | "firstError" | "seconds" | "cpuUs" | "watched">;

function summarize(samples: Samples, counts: Counts, stream: boolean): LoadResult {
  return {
    ...counts,
    ok: samples.totals.length,
    rps: samples.totals.length / counts.seconds,
    p50: percentile(samples.totals, 0.5),
    p99: percentile(samples.totals, 0.99),
    ttftP50: stream ? percentile(samples.ttfts, 0.5) : null,
    ttftP99: stream ? percentile(samples.ttfts, 0.99) : null,
    overheadP50: samples.overheads.length ? percentile(samples.overheads, 0.5) : null,
  };
}

/** Several runs of one load (each with its samples) as one: counts and time summed, percentiles over every sample. */
export function mergeResults(parts: readonly LoadResult[], stream: boolean): LoadResult {
  const counts: Counts = { sent: 0, errors: 0, firstError: null, seconds: 0, cpuUs: 0, watched: [] };
  const all = parts.map((part) => {
    if (!part.samples) throw new Error("mergeResults needs each run's samples (keepSamples)");
    return part.samples;
  });
  const samples: Samples = {
    totals: all.flatMap((s) => s.totals),
    ttfts: all.flatMap((s) => s.ttfts),
    overheads: all.flatMap((s) => s.overheads),
  };
  for (const part of parts) {
    counts.sent += part.sent;
    counts.errors += part.errors;
    counts.firstError ??= part.firstError;
    counts.seconds += part.seconds;
    counts.cpuUs += part.cpuUs;
    part.watched.forEach((spent, i) => {
      const sum = (counts.watched[i] ??= { cpuMs: 0, minorFaults: 0 });
      sum.cpuMs += spent.cpuMs;
      sum.minorFaults += spent.minorFaults;
    });
  }
  return summarize(samples, counts, stream);
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: bun bench/load.ts SPEC.json");
  const spec = (await Bun.file(file).json()) as LoadSpec;
  console.log(JSON.stringify(await runLoad(spec)));
}
