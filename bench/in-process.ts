// The gateway's own CPU per request with no sockets: requests go through `app.handle` and the
// vendor is the fake upstream's canned answer, returned by the kit's fetch. What is left is the
// request path itself, measured in one process with nothing else running, so two checkouts differ
// by a few per cent where the socket benchmarks (run.ts, ab.ts) cannot tell 10% from noise.
//
//   bun bench/in-process.ts [checkout A] [checkout B] [--scenario TEXT] [--rounds 5] [--requests 2000] [--warmup 20000] [--tokens N]
//
// With --tokens, a streamed scenario's answer has N token frames, each its own read, as a real
// answer's tokens come (the socket scenarios get their ten frames in one read): the cost of a
// long stream per token.
// Each round runs every checkout once per scenario, each in a fresh process, in alternating order;
// a run warms up, then reports the process's CPU time per request over five slices of `requests`
// requests at concurrency 64 (their median).
// Prints the median of rounds per checkout (with the range) and, for two, B ÷ A per round.

import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { writeFileSync } from "node:fs";
import { bodyOf } from "./bodies.ts";
import { SCENARIOS, type Scenario } from "./compare.ts";
import { BENCH_KEY, BENCH_MODEL, benchConfig } from "./gateway-config.ts";
import { runCommand } from "./processes.ts";
import { markdownTable } from "./report.ts";
import { medianWithRange } from "./slices.ts";
import { percentile } from "./stats.ts";
import { createWorkspace, requestHeaders, ROOT, type Workspace } from "./targets.ts";
import { cannedAnswer, longStreamAnswer } from "./upstream.ts";

const CONCURRENCY = 64;
const SLICES = 5;

interface RunSpec {
  checkout: string;
  scenario: string;
  requests: number;
  warmup: number;
  folder: string;
  /** Token frames of a streamed answer, one read each; the fake upstream's ten frames when absent. */
  tokens?: number;
}

/** One measurement, in this process: the gateway of `checkout` with the bench config. */
async function measure(spec: RunSpec): Promise<number> {
  const scenario = SCENARIOS.find((s) => s.name === spec.scenario)!;
  const from = (path: string) => import(join(spec.checkout, path));
  const [{ Runtime }, { createApp }, { createKit }, { createLogger }, { builtinPlugins }] = await Promise.all([
    from("core/runtime/runtime.ts"), from("core/server/app.ts"), from("core/kit/kit.ts"), from("core/log.ts"), from("plugins/builtin.ts"),
  ]);
  const config = join(spec.folder, "in-process.yaml");
  writeFileSync(config, benchConfig({ upstream: "http://upstream.invalid/v1", database: join(spec.folder, "in-process.db") }));
  const created = await runCommand([process.execPath, "main.ts", "keys", "create", "--config", config, "--name", BENCH_KEY, "--json"], spec.checkout);
  const key = (JSON.parse(created) as { key: string }).key;
  // The provider asks for a stream with `accept: text/event-stream` in its plain header object; the
  // body need not be read, nor a Headers object made, inside the measured loop.
  const long = spec.tokens ? longStreamAnswer(spec.tokens) : null;
  const fetch = async (_url: string, init: RequestInit) => {
    const stream = (init.headers as Record<string, string> | undefined)?.accept === "text/event-stream";
    return stream && long ? long() : cannedAnswer(stream);
  };
  const kit = createKit({ log: createLogger(), fetch });
  const runtime = await Runtime.start({ configPath: config, env: process.env, builtins: builtinPlugins, kit });
  const app = createApp(runtime);
  const body = bodyOf(scenario.shape, BENCH_MODEL, scenario.stream);
  const headers = requestHeaders(key);
  const send = async () => {
    const response: Response = await app.handle(new Request("http://gateway/v1/chat/completions", { method: "POST", headers, body }));
    const text = await response.text();
    if (response.status !== 200 || (scenario.stream && !text.includes("[DONE]"))) throw new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  };
  const load = async (count: number) => {
    let left = count;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (left-- > 0) await send(); }));
  };
  await load(spec.warmup);
  // The median of five slices: a moment when the machine was busy elsewhere sits in one of them.
  const slices: number[] = [];
  for (let i = 0; i < SLICES; i++) {
    const before = process.cpuUsage();
    await load(spec.requests);
    const used = process.cpuUsage(before);
    slices.push((used.user + used.system) / spec.requests);
  }
  await runtime.close();
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
      child: { type: "string" },
    },
  });
  const checkouts = (positionals.length ? positionals : [ROOT]).map((dir) => resolve(dir));
  if (checkouts.length > 2) throw new Error("usage: bun bench/in-process.ts [checkout A] [checkout B] [--scenario TEXT] [--rounds N] [--requests N] [--warmup N] [--tokens N]");
  const scenarios = values.scenario ? SCENARIOS.filter((s) => s.name.includes(values.scenario!)) : SCENARIOS;
  if (scenarios.length === 0) throw new Error(`--scenario ${values.scenario} names none of: ${SCENARIOS.map((s) => s.name).join("; ")}`);
  const tokens = values.tokens === undefined ? undefined : Number(values.tokens);
  if (tokens !== undefined && !(Number.isInteger(tokens) && tokens > 0)) throw new Error(`--tokens ${values.tokens}: give a whole number of token frames`);
  return { checkouts, scenarios, rounds: Number(values.rounds), requests: Number(values.requests), warmup: Number(values.warmup), tokens, child: values.child };
}

/** Each run in its own process: no run inherits another's JIT state or heap. */
async function run(work: Workspace, checkout: string, scenario: Scenario, flags: Pick<RunSpec, "requests" | "warmup" | "tokens">): Promise<number> {
  const spec: RunSpec = { checkout, scenario: scenario.name, requests: flags.requests, warmup: flags.warmup, tokens: flags.tokens, folder: work.folder };
  const out = await runCommand([process.execPath, "bench/in-process.ts", "--child", JSON.stringify(spec)], ROOT);
  return Number(out.trim());
}

async function main(argv: string[]): Promise<void> {
  const flags = parse(argv);
  if (flags.child) {
    console.log((await measure(JSON.parse(flags.child) as RunSpec)).toFixed(2));
    process.exit(0); // the runtime's timers would keep the process alive
  }
  const work = createWorkspace();
  try {
    const labels = flags.checkouts.length === 2 ? ["A", "B"] : ["gateway"];
    flags.checkouts.forEach((dir, i) => console.log(`${labels[i]}: ${dir}`));
    const answers = flags.tokens ? `; streamed answers of ${flags.tokens} token frames, one read each` : "";
    console.log(`${flags.rounds} rounds; ${SLICES} slices of ${flags.requests} requests at concurrency ${CONCURRENCY} after ${flags.warmup} warm-up, each run in its own process${answers}\n`);
    const rows: string[][] = [];
    for (const scenario of flags.scenarios) {
      const taken: number[][] = flags.checkouts.map(() => []);
      for (let round = 0; round < flags.rounds; round++) {
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order.filter((i) => i < flags.checkouts.length)) {
          taken[i]!.push(await run(work, flags.checkouts[i]!, scenario, flags));
        }
      }
      const ratio = taken.length === 2 ? [medianWithRange(taken[1]!.map((b, i) => b / taken[0]![i]!))] : [];
      rows.push([scenario.name, ...taken.map((values) => medianWithRange(values, 1)), ...ratio]);
    }
    const header = ["scenario", ...labels.map((label) => `${label} CPU µs/req`), ...(labels.length === 2 ? ["B ÷ A, median of rounds (range)"] : [])];
    console.log(markdownTable(header, rows));
  } finally {
    work.remove();
  }
}

await main(process.argv.slice(2));
