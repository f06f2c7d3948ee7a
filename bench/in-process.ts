// The gateway's own CPU per request with no sockets: requests go to the handler a listening
// server's router calls for the chat endpoint (through `app.handle` for a checkout without one),
// and the vendor is the fake upstream's canned answer, returned by the kit's fetch. What is left is
// the request path itself, measured in one process with nothing else running, so two checkouts
// differ by a few per cent where the socket benchmarks (run.ts, ab.ts) cannot tell 10% from noise.
//
//   bun bench/in-process.ts [checkout A] [checkout B] [--scenario TEXT] [--rounds 5] [--requests 2000] [--warmup 20000] [--tokens N] [--lean] [--objects N]
//
// With --tokens, a streamed scenario's answer has N token frames, each its own read, as a real
// answer's tokens come: the cost of a long stream per token. Without it, the fake upstream's ten
// frames come in one read, as they arrive over loopback in the socket scenarios.
// With --lean, each round also runs the lean gateway floor (bench/lean-gateway.ts) the same way,
// through its server's own `fetch` with the canned answers as its upstream: what each checkout
// spends beyond it is the cost of the gateway's logic, read without the sockets' noise.
// Each round runs every checkout once per scenario, each in a fresh process, in alternating order;
// a run warms up, then reports the process's CPU time per request over five slices of `requests`
// requests at concurrency 64 (their median).
// Prints the median of rounds per checkout (with the range) and, for two, B ÷ A per round.
// With --objects N, no CPU is measured: each checkout (and the floor, with --lean) runs once per
// scenario and, after its warm-up and a full collection, serves N requests one at a time; prints
// the JavaScript objects each request left on the heap, by type (closures, scopes, promises...),
// read from the engine's heap statistics. A collection during the count would hide some: the run
// fails then, and asks for a smaller N.

import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { writeFileSync } from "node:fs";
import { bodyOf } from "./bodies.ts";
import { objectsPerRequest } from "./heap.ts";
import { SCENARIOS, type Scenario } from "./compare.ts";
import { BENCH_KEY, BENCH_MODEL, benchConfig } from "./gateway-config.ts";
import { runCommand } from "./processes.ts";
import { markdownTable } from "./report.ts";
import { medianWithRange } from "./slices.ts";
import { percentile } from "./stats.ts";
import { createWorkspace, LEAN_GATEWAY_KEY, requestHeaders, ROOT, type Workspace } from "./targets.ts";
import { startLeanGateway } from "./lean-gateway.ts";
import { cannedAnswer, longStreamAnswer, wholeStreamAnswer } from "./upstream.ts";

const CONCURRENCY = 64;
/** Names the lean gateway floor where a run names a checkout. */
const LEAN = "lean";
const SLICES = 5;

interface RunSpec {
  /** A checkout of the gateway, or "lean" for the lean gateway floor (this checkout's bench/lean-gateway.ts). */
  checkout: string;
  scenario: string;
  requests: number;
  warmup: number;
  folder: string;
  /** Token frames of a streamed answer, one read each; when absent, the fake upstream's ten frames in one read. */
  tokens?: number;
  /** Count the objects of this many requests instead of measuring CPU. */
  objects?: number;
}

/** What a run drives: a server's handler, called with no socket between. */
interface InProcessTarget {
  send(request: Request): Promise<Response>;
  key: string;
  close(): Promise<void>;
}

/** The fake upstream's canned answer for a request: a stream when it asked for one. */
function cannedAnswers(tokens: number | undefined) {
  const long = tokens ? longStreamAnswer(tokens) : null;
  return (stream: boolean) => (stream ? (long ? long() : wholeStreamAnswer()) : cannedAnswer(false));
}

/**
 * The gateway of `checkout` with the bench config, served by the chat endpoint's handler as a
 * listening server's router calls it; through `app.handle` for a checkout whose app has none.
 */
async function gatewayTarget(spec: RunSpec): Promise<InProcessTarget> {
  // The provider asks for a stream with `accept: text/event-stream` in its plain header object; the
  // body need not be read, nor a Headers object made, inside the measured loop.
  const answer = cannedAnswers(spec.tokens);
  const fetch = async (_url: string, init: RequestInit) => answer((init.headers as Record<string, string> | undefined)?.accept === "text/event-stream");
  // Installed before the checkout's modules load, the canned answer is the kit's own fetch, as
  // Bun's is in a server, so providers reuse their body buffer as they do there (a replaced fetch
  // gets a fresh buffer per request, which it may keep). It never reads the body, so it may be reused.
  globalThis.fetch = fetch as typeof globalThis.fetch;
  const from = (path: string) => import(join(spec.checkout, path));
  const [{ Runtime }, { createApp }, { createKit }, { createLogger }, { builtinPlugins }] = await Promise.all([
    from("core/runtime/runtime.ts"), from("core/server/app.ts"), from("core/kit/kit.ts"), from("core/log.ts"), from("plugins/builtin.ts"),
  ]);
  const config = join(spec.folder, "in-process.yaml");
  writeFileSync(config, benchConfig({ upstream: "http://upstream.invalid/v1", database: join(spec.folder, "in-process.db") }));
  const created = await runCommand([process.execPath, "main.ts", "keys", "create", "--config", config, "--name", BENCH_KEY, "--json"], spec.checkout);
  const key = (JSON.parse(created) as { key: string }).key;
  const kit = createKit({ log: createLogger() });
  const runtime = await Runtime.start({ configPath: config, env: process.env, builtins: builtinPlugins, kit });
  const app = createApp(runtime);
  const routes = (app.config as { serve?: { routes?: Record<string, { POST?: (request: Request) => Promise<Response> }> } }).serve?.routes;
  const chat = routes?.["/v1/chat/completions"]?.POST;
  return { send: chat ?? ((request) => app.handle(request)), key, close: () => runtime.close() };
}

/** The lean gateway floor, served through its server's `fetch`; its upstream calls get the canned answers. */
async function leanTarget(spec: RunSpec): Promise<InProcessTarget> {
  const answer = cannedAnswers(spec.tokens);
  // The floor calls the global fetch, with the client's body as it came.
  globalThis.fetch = (async (_url: string, init: RequestInit) => answer(String(init.body).includes('"stream":true'))) as typeof fetch;
  const { server, ledger } = await startLeanGateway("http://upstream.invalid", join(spec.folder, "in-process-lean.db"), LEAN_GATEWAY_KEY);
  return {
    send: async (request) => (await server.fetch(request)) as Response,
    key: LEAN_GATEWAY_KEY,
    close: async () => {
      await server.stop(true);
      await ledger.close();
    },
  };
}

/**
 * One measurement, in this process: the CPU per request of the gateway of `spec.checkout`, or of
 * the lean floor; with `spec.objects`, the objects per request by type.
 */
async function measure(spec: RunSpec): Promise<number | Record<string, number>> {
  const scenario = SCENARIOS.find((s) => s.name === spec.scenario)!;
  const target = spec.checkout === LEAN ? await leanTarget(spec) : await gatewayTarget(spec);
  const body = bodyOf(scenario.shape, BENCH_MODEL, scenario.stream);
  // With its length, as a socket client's body comes (a Request made from a string has none, and
  // the gateway would read it as a chunked body, which costs it a copy and a decode more).
  const headers = { ...requestHeaders(target.key), "content-length": String(Buffer.byteLength(body)) };
  const send = async () => {
    const response = await target.send(new Request("http://gateway/v1/chat/completions", { method: "POST", headers, body }));
    const text = await response.text();
    if (response.status !== 200 || (scenario.stream && !text.includes("[DONE]"))) throw new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  };
  const load = async (count: number) => {
    let left = count;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (left-- > 0) await send(); }));
  };
  await load(spec.warmup);
  if (spec.objects) {
    const counts = await objectsPerRequest(send, spec.objects);
    await target.close();
    return counts;
  }
  // The median of five slices: a moment when the machine was busy elsewhere sits in one of them.
  const slices: number[] = [];
  for (let i = 0; i < SLICES; i++) {
    const before = process.cpuUsage();
    await load(spec.requests);
    const used = process.cpuUsage(before);
    slices.push((used.user + used.system) / spec.requests);
  }
  await target.close();
  return percentile(slices, 0.5);
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scenario: { type: "string" },
      rounds: { type: "string", default: "5" },
      requests: { type: "string", default: "2000" },
      warmup: { type: "string", default: "20000" },
      tokens: { type: "string" },
      lean: { type: "boolean", default: false },
      objects: { type: "string" },
      child: { type: "string" },
    },
  });
  const checkouts = (positionals.length ? positionals : [ROOT]).map((dir) => resolve(dir));
  if (checkouts.length > 2) throw new Error("usage: bun bench/in-process.ts [checkout A] [checkout B] [--scenario TEXT] [--rounds N] [--requests N] [--warmup N] [--tokens N] [--lean] [--objects N]");
  const scenarios = values.scenario ? SCENARIOS.filter((s) => s.name.includes(values.scenario!)) : SCENARIOS;
  if (scenarios.length === 0) throw new Error(`--scenario ${values.scenario} names none of: ${SCENARIOS.map((s) => s.name).join("; ")}`);
  const tokens = count(values.tokens, "--tokens", "token frames");
  const objects = count(values.objects, "--objects", "requests");
  return { checkouts, scenarios, rounds: Number(values.rounds), requests: Number(values.requests), warmup: Number(values.warmup), tokens, objects, lean: values.lean, child: values.child };
}

/** A flag's whole positive number, or undefined when it was not given. */
function count(value: string | undefined, flag: string, of: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`${flag} ${value}: give a whole number of ${of}`);
  return n;
}

type RunFlags = Pick<RunSpec, "requests" | "warmup" | "tokens" | "objects">;

/**
 * Each run in its own process: no run inherits another's JIT state or heap. Answers what the child
 * printed: its CPU per request (a number), or with --objects its counts by type.
 */
async function run<T extends number | Record<string, number>>(work: Workspace, checkout: string, scenario: Scenario, flags: RunFlags): Promise<T> {
  const spec: RunSpec = { checkout, scenario: scenario.name, requests: flags.requests, warmup: flags.warmup, tokens: flags.tokens, objects: flags.objects, folder: work.folder };
  const out = await runCommand([process.execPath, "bench/in-process.ts", "--child", JSON.stringify(spec)], ROOT);
  return JSON.parse(out) as T;
}

/** Per scenario, the types of which some run left at least half an object per request, most first. */
async function countObjects(work: Workspace, runs: string[], labels: string[], flags: ReturnType<typeof parse>): Promise<void> {
  for (const scenario of flags.scenarios) {
    const counts: Record<string, number>[] = [];
    for (const checkout of runs) counts.push(await run<Record<string, number>>(work, checkout, scenario, flags));
    const types = [...new Set(counts.flatMap((c) => Object.keys(c)))].filter((type) => counts.some((c) => (c[type] ?? 0) >= 0.5));
    types.sort((a, b) => (counts[0]![b] ?? 0) - (counts[0]![a] ?? 0));
    const rows = types.map((type) => [type, ...counts.map((c) => (c[type] ?? 0).toFixed(1))]);
    rows.push(["all types", ...counts.map((c) => Object.values(c).reduce((sum, n) => sum + n, 0).toFixed(1))]);
    console.log(`${scenario.name}: objects left on the heap per request, by type (${flags.objects} requests after ${flags.warmup} warm-up)\n`);
    console.log(markdownTable(["type", ...labels], rows) + "\n");
  }
}

async function main(argv: string[]): Promise<void> {
  const flags = parse(argv);
  if (flags.child) {
    console.log(JSON.stringify(await measure(JSON.parse(flags.child) as RunSpec)));
    process.exit(0); // the runtime's timers would keep the process alive
  }
  const work = createWorkspace();
  try {
    const labels = flags.checkouts.length === 2 ? ["A", "B"] : ["gateway"];
    flags.checkouts.forEach((dir, i) => console.log(`${labels[i]}: ${dir}`));
    // The lean floor runs as one more checkout, last in the list, in the same alternating rounds.
    const runs = flags.lean ? [...flags.checkouts, LEAN] : flags.checkouts;
    if (flags.objects) return await countObjects(work, runs, flags.lean ? [...labels, "lean floor"] : labels, flags);
    const answers = flags.tokens ? `; streamed answers of ${flags.tokens} token frames, one read each` : "";
    console.log(`${flags.rounds} rounds; ${SLICES} slices of ${flags.requests} requests at concurrency ${CONCURRENCY} after ${flags.warmup} warm-up, each run in its own process${answers}\n`);
    const rows: string[][] = [];
    for (const scenario of flags.scenarios) {
      const taken: number[][] = runs.map(() => []);
      for (let round = 0; round < flags.rounds; round++) {
        const order = runs.map((_, i) => i);
        if (round % 2 === 1) order.reverse();
        for (const i of order) taken[i]!.push(await run<number>(work, runs[i]!, scenario, flags));
      }
      const gateways = taken.slice(0, flags.checkouts.length);
      const lean = flags.lean ? taken[runs.length - 1]! : null;
      // Each round's difference: a slow moment of the machine falls on both runs of that round.
      const beyond = lean ? gateways.map((values) => medianWithRange(values.map((value, i) => value - lean[i]!), 1)) : [];
      const ratio = gateways.length === 2 ? [medianWithRange(gateways[1]!.map((b, i) => b / gateways[0]![i]!))] : [];
      rows.push([scenario.name, ...taken.map((values) => medianWithRange(values, 1)), ...beyond, ...ratio]);
    }
    const header = [
      "scenario",
      ...labels.map((label) => `${label} CPU µs/req`),
      ...(flags.lean ? ["lean floor CPU µs/req", ...labels.map((label) => `${label} beyond lean, median of rounds (range)`)] : []),
      ...(labels.length === 2 ? ["B ÷ A, median of rounds (range)"] : []),
    ];
    console.log(markdownTable(header, rows));
  } finally {
    work.remove();
  }
}

await main(process.argv.slice(2));
