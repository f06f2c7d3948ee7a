// Where the gateway's serving thread spends its time under the bench load, by JavaScript function.
// Linux `perf` samples the main thread with its call stacks while the load runs; the engine's JIT
// dump (see jit-dump.ts) names the compiled JavaScript in them. The engine's own sampling profiler
// (`--cpu-prof`) samples too sparsely under socket load to trust, and charges native work to
// whatever frame it last saw; perf sees every sample and the whole stack.
//
//   bun bench/perf-profile.ts [--scenario "chat, stream"] [--target gateway|duties|lean] [--seconds 8] [--top 30] [--gc] [--faults]
//
// Needs `perf` on the PATH and leave to attach to a child process (perf_event_paranoid ≤ 1, or
// root); software events suffice, so it runs in VMs without hardware counters. Prints the main
// thread's CPU per request and two tables, in µs per request: by the nearest JavaScript function
// on the stack (its own code with the native work it called, such as `fetch` or `JSON.parse`), and
// by every function on the stack (inclusive). Samples with no JavaScript on the stack are the event
// loop, the sockets, the garbage collector and the promise machinery, split by kernel and user space.
// Above the tables, the CPU of every thread of the process: fetch serves the upstream sockets on its
// own thread, and the collector has helpers (the JIT dump adds a "PerfLog" thread of its own).
// With --gc the server logs its collections (BUN_JSC_logGC) and their pauses are totalled per request.
// With --faults perf samples every minor page fault instead of the CPU, and the tables give faults
// per request: where the memory that the allocator handed back is touched again.
// Beside it `perf stat` counts the whole process's system calls and context switches (the kernel's
// tracepoints: root, or perf_event_paranoid ≤ -1), what a slow kernel charges for. It counts from
// its attach, 300 ms before the load, to the load's end: the idle server's calls in that lead (the
// gateway makes about 90 a second idle, against some 200,000 over a 4-second load) are charged to
// the load's requests, a negligible share.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { scenarioBody, scenariosNamed, type Scenario } from "./compare.ts";
import { functionOf, JitTimeline, readJitDump, type JitCode } from "./jit-dump.ts";
import { threadCpuMs, threadMinorFaults } from "./processes.ts";
import { markdownTable } from "./report.ts";
import { warmUp } from "./slices.ts";
import {
  chatUrl, createWorkspace, LEAN_GATEWAY_KEY, loadInProcess, requestHeaders, startGateway, startLeanGatewayProcess, startUpstreamProcess,
} from "./targets.ts";

/** Samples per second of the main thread's CPU time (perf's cpu-clock event). */
const FREQUENCY = 4000;
const NO_JS_KERNEL = "(no JavaScript on the stack: kernel)";
const NO_JS_USER = "(no JavaScript on the stack: engine and runtime)";

const { values: args } = parseArgs({
  options: {
    scenario: { type: "string", default: "chat, stream" },
    target: { type: "string", default: "gateway" },
    seconds: { type: "string", default: "8" },
    top: { type: "string", default: "30" },
    gc: { type: "boolean", default: false },
    faults: { type: "boolean", default: false },
  },
});
const scenario: Scenario = scenariosNamed(args.scenario)[0]!;
if (!["gateway", "duties", "lean"].includes(args.target!)) throw new Error("--target is gateway, duties (the duties floor) or lean");

interface Tally {
  samples: number;
  nearest: Map<string, number>;
  inclusive: Map<string, number>;
}

/** One sample from `perf script -F time,ip --ns`: a "<seconds>.<ns>:" line, then one hex address per line, leaf first. */
interface Sample {
  /** ns of CLOCK_MONOTONIC, the JIT dump's clock (perf record -k mono). */
  time: number;
  frames: number[];
}

function sampleOf(block: string): Sample | null {
  const [head = "", ...lines] = block.split("\n");
  const time = /^\s*(\d+)\.(\d{9}):/.exec(head);
  if (!time) return null;
  const frames: number[] = [];
  for (const line of lines) {
    const match = /^\s*([0-9a-f]+)\s*$/.exec(line);
    if (match) frames.push(Number.parseInt(match[1]!, 16));
  }
  return frames.length ? { time: Number(time[1]) * 1e9 + Number(time[2]), frames } : null;
}

/** Kernel addresses sit in the top half of the address space. */
const inKernel = (address: number) => address >= 0xffff800000000000;

/** Each sample's JavaScript functions, named by the JIT code that held their addresses when it was taken. */
function tally(script: string, loads: readonly JitCode[]): Tally {
  const samples = script.split(/\n\s*\n/).map(sampleOf).filter((sample) => sample !== null).sort((a, b) => a.time - b.time);
  // The engine compiles from its start, long before the load: a first sample older than the first
  // load means the two clocks disagree, and every name would be wrong.
  if (samples.length && loads.length && samples[0]!.time < loads[0]!.loadedAt) {
    throw new Error("perf's samples predate the JIT dump's first load: the two are not on one clock (perf record -k mono)");
  }
  const timeline = new JitTimeline(loads);
  const result: Tally = { samples: 0, nearest: new Map(), inclusive: new Map() };
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const { time, frames } of samples) {
    timeline.advance(time);
    result.samples++;
    const functions: string[] = [];
    for (const address of frames) {
      const code = inKernel(address) ? undefined : timeline.codeAt(address);
      const name = code ? functionOf(code.name) : null;
      if (name !== null) functions.push(name);
    }
    add(result.nearest, functions[0] ?? (inKernel(frames[0]!) ? NO_JS_KERNEL : NO_JS_USER));
    for (const name of new Set(functions)) add(result.inclusive, name);
  }
  return result;
}

/** What perf samples and what one sample stands for: CPU time (µs), or one page fault (--faults). */
const UNIT = args.faults
  ? { event: ["-e", "page-faults", "-c", "1"], each: 1, name: "faults", digits: 2 }
  : { event: ["-e", "cpu-clock", "-F", String(FREQUENCY)], each: 1e6 / FREQUENCY, name: "µs", digits: 1 };

function table(counts: Map<string, number>, samples: number, perSample: number, top: number): string {
  const rows = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => [name, (count * perSample).toFixed(UNIT.digits), `${((100 * count) / samples).toFixed(1)}%`]);
  return markdownTable(["function", `${UNIT.name}/req`, "share"], rows);
}

/**
 * What each thread added to a count (CPU, faults) between two readings, the largest first; threads
 * under 1% of the total together as "others".
 */
function threadsSpent(before: Map<string, number>, after: Map<string, number>): { threads: [string, number][]; total: number } {
  const spent = [...after].map(([name, count]): [string, number] => [name, count - (before.get(name) ?? 0)]).sort((a, b) => b[1] - a[1]);
  const total = spent.reduce((sum, [, count]) => sum + count, 0);
  const shown = spent.filter(([, count]) => count >= total / 100);
  const others = total - shown.reduce((sum, [, count]) => sum + count, 0);
  return { threads: others > 0 ? [...shown, ["others", others]] : shown, total };
}

/**
 * The server's JIT dump, named jit-<thread>-<pid>.dump by the engine. A server that restarts itself
 * in place for its allocator setting keeps its process id, so the image before the restart leaves a
 * small dump of its own under the same id: the serving image's is the largest.
 */
function serverJitDump(folder: string, pid: number): string | undefined {
  const dumps = readdirSync(folder)
    .filter((file) => /^jit-\d+-(\d+)/.exec(file)?.[1] === String(pid))
    .map((file) => ({ path: join(folder, file), size: statSync(join(folder, file)).size }));
  return dumps.sort((a, b) => b.size - a.size)[0]?.path;
}

const SYSCALLS = "raw_syscalls:sys_enter";

/** The counts `perf stat -x ,` wrote, by event; an event it could not count is left out. */
async function statCounts(file: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const text = (await Bun.file(file).exists()) ? await Bun.file(file).text() : "";
  for (const line of text.split("\n")) {
    const [count, , event] = line.split(",");
    if (event && count && /^\d+$/.test(count)) counts.set(event, Number(count));
  }
  return counts;
}

async function main(): Promise<void> {
  const work = createWorkspace();
  const upstream = await startUpstreamProcess();
  const env: Record<string, string> = { BUN_JSC_useJITDump: "1", BUN_JSC_jitDumpDirectory: work.folder, ...(args.gc ? { BUN_JSC_logGC: "1" } : {}) };
  const { server, key } =
    args.target === "lean"
      ? { server: await startLeanGatewayProcess(work, upstream, env), key: LEAN_GATEWAY_KEY }
      : await startGateway(work, upstream, { env, duties: args.target === "duties" });
  try {
    const body = scenarioBody(scenario);
    const headers = requestHeaders(key);
    await warmUp(work, [{ label: args.target!, server, headers }], { body, stream: scenario.stream, sliceMs: 0 });

    const data = join(work.folder, "perf.data");
    const perf = Bun.spawn(["perf", "record", "-q", "-k", "mono", "-g", ...UNIT.event, "-t", String(server.pid), "-o", data], {
      stdout: "ignore", stderr: "pipe",
    });
    const statFile = join(work.folder, "perf.stat");
    const stat = Bun.spawn(["perf", "stat", "-x", ",", "-e", `${SYSCALLS},context-switches`, "-p", String(server.pid), "-o", statFile], {
      stdout: "ignore", stderr: "ignore",
    });
    // perf has attached once the thread's first samples can land; an idle thread gives none anyway.
    await Bun.sleep(300);
    const threadsBefore = threadCpuMs(server.pid);
    const faultsBefore = threadMinorFaults(server.pid);
    const collectionsBefore = server.collections();
    const load = await loadInProcess(work, {
      url: chatUrl(server), headers, stream: scenario.stream, concurrency: 64, requests: 10_000_000, durationMs: Number(args.seconds) * 1000, warmup: 0,
    }, body);
    const { threads, total } = threadsSpent(threadsBefore, threadCpuMs(server.pid));
    const faults = threadsSpent(faultsBefore, threadMinorFaults(server.pid));
    const collectionsAfter = server.collections();
    const cpuMs = threads.find(([name]) => name === "main")?.[1] ?? Number.NaN;
    perf.kill("SIGINT");
    stat.kill("SIGINT");
    await stat.exited;
    const counted = await statCounts(statFile);
    if ((await perf.exited) !== 0 && !(await Bun.file(data).exists())) throw new Error(`perf failed: ${await new Response(perf.stderr).text()}`);

    const script = Bun.spawnSync(["perf", "script", "-i", data, "-F", "time,ip", "--ns"], { stdout: "pipe", stderr: "ignore" }).stdout.toString();
    const dump = serverJitDump(work.folder, server.pid);
    if (!dump) throw new Error("the engine wrote no JIT dump (BUN_JSC_useJITDump)");
    const counts = tally(script, readJitDump(dump));
    const requests = load.sent;
    const perSample = UNIT.each / requests;
    const top = Number(args.top);
    console.log(`${args.target}, ${scenario.name}: ${requests} requests at concurrency 64 in ${load.seconds.toFixed(1)} s (${load.rps.toFixed(0)} req/s, ${load.errors} errors)`);
    const perRequest = (ms: number) => ((ms * 1000) / requests).toFixed(1);
    const sampled = `${(counts.samples * perSample).toFixed(UNIT.digits)} ${UNIT.name} by perf's ${counts.samples} samples`;
    console.log(`main thread: ${perRequest(cpuMs)} µs CPU per request by /proc; ${sampled}`);
    console.log(`all threads: ${perRequest(total)} µs CPU per request (${threads.map(([name, ms]) => `${name} ${perRequest(ms)}`).join(", ")})`);
    const faultsPerRequest = (count: number) => (count / requests).toFixed(2);
    console.log(`minor page faults: ${faultsPerRequest(faults.total)} per request (${faults.threads.map(([name, count]) => `${name} ${faultsPerRequest(count)}`).join(", ")})`);
    const perRequestCount = (event: string) => {
      const count = counted.get(event);
      return count === undefined ? "not counted" : (count / requests).toFixed(1);
    };
    console.log(`system calls: ${perRequestCount(SYSCALLS)} per request; context switches: ${perRequestCount("context-switches")} (all threads)`);
    if (args.gc) {
      const eden = collectionsAfter.eden - collectionsBefore.eden;
      const full = collectionsAfter.full - collectionsBefore.full;
      const pauseMs = collectionsAfter.pauseMs - collectionsBefore.pauseMs;
      console.log(`collections: ${eden} eden and ${full} full, their pauses ${perRequest(pauseMs)} µs per request`);
    }
    console.log("");
    console.log(`By the nearest JavaScript function on the stack (its own code and the native work it called):\n`);
    console.log(table(counts.nearest, counts.samples, perSample, top));
    console.log(`\nBy every function on the stack (inclusive):\n`);
    console.log(table(counts.inclusive, counts.samples, perSample, top));
  } finally {
    await server.stop();
    await upstream.stop();
    work.remove();
  }
}

await main();
