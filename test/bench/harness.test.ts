// The bench harness: its fake upstream, bare proxy, load generator and generated config behave as
// the comparison assumes.

import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { agentBody, bodyOf, chatBody } from "../../bench/bodies.ts";
import { startBareProxy } from "../../bench/bare-proxy.ts";
import { burnKindOf, calibratedBurn } from "../../bench/burn.ts";
import { LONG_STREAM, SCENARIOS, scenarioBody, scenariosNamed } from "../../bench/compare.ts";
import { DUTIES, dutiesOf, startDutiesGateway } from "../../bench/duties-gateway.ts";
import { startLeanGateway } from "../../bench/lean-gateway.ts";
import { relayStream, startParsingProxy } from "../../bench/parsing-proxy.ts";
import { BENCH_KEY, BENCH_MODEL, benchConfig } from "../../bench/gateway-config.ts";
import { mergeResults, runLoad } from "../../bench/load.ts";
import { runCommand, startServer } from "../../bench/processes.ts";
import { percentile } from "../../bench/stats.ts";
import { createWorkspace, ROOT } from "../../bench/targets.ts";
import { startUpstream } from "../../bench/upstream.ts";

const upstream = startUpstream();
const proxy = startBareProxy(`http://127.0.0.1:${upstream.port}`);
const parsing = startParsingProxy(`http://127.0.0.1:${upstream.port}`);
const work = createWorkspace();
afterAll(() => {
  proxy.stop(true);
  parsing.stop(true);
  upstream.stop(true);
  work.remove();
});

const post = (port: number | undefined, body: string) =>
  fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });

function frames(text: string): string[] {
  return text.split("\n\n").filter(Boolean).map((frame) => frame.replace(/^data: /, ""));
}

describe("fake upstream", () => {
  test("answers a non-streaming request with a chat.completion that carries usage", async () => {
    const body = (await (await post(upstream.port, chatBody("m", false))).json()) as { object: string; usage: { total_tokens: number } };
    expect(body.object).toBe("chat.completion");
    expect(body.usage.total_tokens).toBeGreaterThan(0);
  });

  test("streams chunks, then a usage chunk, then [DONE]", async () => {
    const response = await post(upstream.port, agentBody("m", true));
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const list = frames(await response.text());
    expect(list.at(-1)).toBe("[DONE]");
    const usage = JSON.parse(list.at(-2)!) as { choices: unknown[]; usage: { completion_tokens: number } };
    expect(usage.choices).toEqual([]);
    expect(usage.usage.completion_tokens).toBe(12);
    expect(list.length).toBeGreaterThan(4);
  });

  test("answers the long-stream scenario with the token frames it asks for, each a read of its own", async () => {
    const reader = (await post(upstream.port, scenarioBody(LONG_STREAM))).body!.getReader();
    const reads: string[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) reads.push(new TextDecoder().decode(read.value));
    const list = frames(reads.join(""));
    const tokens = list.filter((frame) => frame !== "[DONE]" && (JSON.parse(frame) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content);
    expect(tokens).toHaveLength(LONG_STREAM.tokens!);
    expect(list.at(-1)).toBe("[DONE]");
    // Paced: the client reads the frames apart, not as one body (a slow moment may merge a few).
    expect(reads.length).toBeGreaterThan(LONG_STREAM.tokens! / 4);
  });
});

test("the issue's four scenarios run unless one is named; the long stream runs only when named", () => {
  expect(scenariosNamed(undefined)).toEqual(SCENARIOS);
  expect(scenariosNamed("stream").map((s) => s.name)).toEqual(["chat, stream", "agent 30 KB, stream", LONG_STREAM.name]);
  expect(scenariosNamed("200-token")).toEqual([LONG_STREAM]);
  expect(() => scenariosNamed("video")).toThrow("names none of");
});

test("the bare proxy passes the upstream's stream through unchanged", async () => {
  const direct = await (await post(upstream.port, chatBody("m", true))).text();
  const proxied = await (await post(proxy.port, chatBody("m", true))).text();
  expect(proxied).toBe(direct);
});

test("the parsing proxy answers as the upstream does, JSON and stream, and refuses a body it cannot route", async () => {
  for (const body of [agentBody("m", false), chatBody("m", true)]) {
    const direct = await (await post(upstream.port, body)).text();
    expect(await (await post(parsing.port, body)).text()).toBe(direct);
  }
  const refused = await post(parsing.port, JSON.stringify({ messages: [] }));
  expect(refused.status).toBe(400);
});

test("the floors' relay sends a stream whose end frame came in the first read as one body, any other chunk by chunk", async () => {
  const frames = ['data: {"choices":[],"usage":{"prompt_tokens":1}}\n\n', "data: [DONE]\n\n"];
  const bytes = (text: string) => new TextEncoder().encode(text);
  let release = () => {};
  let ends = 0;
  // Split: the end frame waits until the client has read the first chunk.
  const upstreamBody = (split: boolean) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(split ? frames[0]! : frames.join("")));
        if (!split) controller.close();
      },
      async pull(controller) {
        await new Promise<void>((resolve) => (release = resolve));
        controller.enqueue(bytes(frames[1]!));
        controller.close();
      },
    });
  let split = false;
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => relayStream(upstreamBody(split), { "content-type": "text/event-stream" }, () => ends++) });
  try {
    const whole = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(whole.headers.get("content-length")).toBe(String(frames.join("").length));
    expect(await whole.text()).toBe(frames.join(""));
    split = true;
    const chunked = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(chunked.headers.get("content-length")).toBeNull();
    const reader = chunked.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(frames[0]!);
    release();
    let rest = "";
    for (let step = await reader.read(); !step.done; step = await reader.read()) rest += new TextDecoder().decode(step.value);
    expect(rest).toBe(frames[1]!);
    expect(ends).toBe(2);
  } finally {
    server.stop(true);
  }
});

test("the relay-only proxy forwards a body it does not read, and answers as the upstream does", async () => {
  const relay = startParsingProxy(`http://127.0.0.1:${upstream.port}`, 0, { parseRequest: false });
  try {
    for (const body of [agentBody("m", false), chatBody("m", true), JSON.stringify({ messages: [] })]) {
      const direct = await (await post(upstream.port, body)).text();
      expect(await (await post(relay.port, body)).text()).toBe(direct);
    }
  } finally {
    relay.stop(true);
  }
});

test("the lean gateway checks the key, answers with its own id and the cost, relays a stream and writes a ledger row per request", async () => {
  const ledgerFile = `${work.folder}/lean.db`;
  const lean = await startLeanGateway(`http://127.0.0.1:${upstream.port}`, ledgerFile, "sk-lean");
  try {
    const send = (body: string, key: string) =>
      fetch(`http://127.0.0.1:${lean.server.port}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body });
    expect((await send(chatBody("m", false), "sk-other")).status).toBe(401);
    const answer = await send(agentBody("m", false), "sk-lean");
    const json = (await answer.json()) as { id: string; model: string; usage: { prompt_tokens: number; cost: number } };
    expect(json.id).toBe(answer.headers.get("x-request-id")!);
    expect(json).toMatchObject({ model: "m", usage: { prompt_tokens: 7400, cost: 0.00105 } });
    const direct = await (await post(upstream.port, chatBody("m", true))).text();
    expect(await (await send(chatBody("m", true), "sk-lean")).text()).toBe(direct);
    await lean.ledger.flush();
    const db = new Database(ledgerFile, { readonly: true });
    const rows = db.query("SELECT id, stream, input_tokens FROM requests ORDER BY created_at").all();
    db.close();
    expect(rows).toEqual([{ id: json.id, stream: 0, input_tokens: 7400 }, expect.objectContaining({ stream: 1 })]);
  } finally {
    lean.server.stop(true);
    await lean.ledger.close();
  }
});

test("a lean gateway that burns calibrated CPU on each request answers as one that does not", async () => {
  const lean = await startLeanGateway(`http://127.0.0.1:${upstream.port}`, `${work.folder}/lean-burn.db`, "sk-lean", 0, calibratedBurn(5));
  try {
    const answer = await fetch(`http://127.0.0.1:${lean.server.port}/v1/chat/completions`, {
      method: "POST", headers: { authorization: "Bearer sk-lean" }, body: chatBody("m", false),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ model: "m", usage: { cost: 0.00105 } });
  } finally {
    lean.server.stop(true);
    await lean.ledger.close();
  }
  // The kind of work comes from the environment or a flag: unset is the wide kind, a typo is refused.
  expect(burnKindOf(undefined)).toBe("wide");
  expect(burnKindOf("compact")).toBe("compact");
  expect(() => burnKindOf("hot")).toThrow("a burn is wide or compact, not hot");
});

test("the duties floor answers as the gateway does, with every duty and without each one, a ledger row per request", async () => {
  const config = `${work.folder}/duties.yaml`;
  const database = `${work.folder}/duties.db`;
  await Bun.write(config, benchConfig({ upstream: `http://127.0.0.1:${upstream.port}/v1`, database }));
  const created = await runCommand([process.execPath, "main.ts", "keys", "create", "--config", config, "--name", BENCH_KEY, "--json"], ROOT);
  const key = (JSON.parse(created) as { key: string }).key;
  const modes = [new Set<never>(), ...DUTIES.map((duty) => dutiesOf(duty))];
  for (const without of modes) {
    const floor = await startDutiesGateway(config, { without });
    try {
      const send = (body: string, secret = key) =>
        fetch(`http://127.0.0.1:${floor.server.port}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${secret}` }, body });
      const answer = await send(agentBody(BENCH_MODEL, false));
      expect(answer.status).toBe(200);
      expect(answer.headers.get("x-switchyard-model")).toBe(BENCH_MODEL);
      const json = (await answer.json()) as { id: string; model: string; usage: { prompt_tokens: number; cost: number } };
      expect(json).toMatchObject({ id: answer.headers.get("x-request-id")!, model: BENCH_MODEL, usage: { prompt_tokens: 7400 } });
      expect(json.usage.cost).toBeGreaterThan(0);
      const streamed = frames(await (await send(chatBody(BENCH_MODEL, true))).text());
      expect(streamed.at(-1)).toBe("[DONE]");
      expect(JSON.parse(streamed.at(-2)!)).toMatchObject({ choices: [], usage: { completion_tokens: 12 } });
      // Only a floor that checks keys refuses one it does not know.
      expect((await send(chatBody(BENCH_MODEL, false), "sk-unknown")).status).toBe(without.has("auth") ? 200 : 401);
    } finally {
      floor.server.stop(true);
      await floor.runtime.close();
    }
  }
  const db = new Database(database, { readonly: true });
  const { rows } = db.query("SELECT count(*) AS rows FROM requests WHERE status = 200").get() as { rows: number };
  db.close();
  expect(rows).toBe(modes.length * 2 + 1);
  expect(() => dutiesOf("route,proxy")).toThrow("no duty named proxy");
}, 30_000);

test("the agent body is about 30 KB with a dozen tools and asks for the usage chunk", () => {
  const text = agentBody("m", true);
  const body = JSON.parse(text) as { tools: unknown[]; stream_options: { include_usage: boolean } };
  expect(text.length).toBeGreaterThan(30_000);
  expect(text.length).toBeLessThan(40_000);
  expect(body.tools).toHaveLength(12);
  expect(body.stream_options.include_usage).toBe(true);
});

test("the load generator records exactly the requested count with no errors", async () => {
  const bodyFile = `${work.folder}/chat.json`;
  await Bun.write(bodyFile, chatBody("m", true));
  const url = `http://127.0.0.1:${proxy.port}/v1/chat/completions`;
  const result = await runLoad({ url, headers: {}, bodyFile, stream: true, concurrency: 8, requests: 200, durationMs: 30_000, warmup: 20 });
  expect(result.ok).toBe(200);
  expect(result.errors).toBe(0);
  expect(result.ttftP50).toBeLessThanOrEqual(result.p99);
  expect(result.samples).toBeUndefined();
  // Its own CPU over the requests: some, and no more than the time they took on every core.
  expect(result.cpuUs).toBeGreaterThan(0);
  expect(result.cpuUs).toBeLessThan(result.seconds * 1e6 * navigator.hardwareConcurrency + 1e6);
});

test("a watched process's CPU and page faults are read over the recorded requests, the lead-in left out", async () => {
  // A server of its own process that burns 20 ms of CPU on each of its first 10 requests, the lead-in, and nothing after.
  const script = `let n = 0; const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch() {
    if (n++ < 10) { const end = process.cpuUsage().user + 20_000; while (process.cpuUsage().user < end); }
    return new Response("{}");
  } }); console.log("listening " + s.port);`;
  const server = await startServer("burner", [process.execPath, "-e", script], ROOT);
  try {
    const bodyFile = `${work.folder}/burner.json`;
    await Bun.write(bodyFile, chatBody("m", false));
    const spec = { url: `${server.url}/`, headers: {}, bodyFile, stream: false, concurrency: 1, requests: 50, durationMs: 30_000, warmup: 10 };
    const before = server.cpuMs();
    const result = await runLoad({ ...spec, watch: [server.pid] });
    const spent = server.cpuMs() - before;
    expect(result.ok).toBe(50);
    expect(result.watched).toHaveLength(1);
    const [watched] = result.watched;
    // The lead-in's 200 ms are in the process's CPU over the whole run and not in the recorded part.
    expect(spent).toBeGreaterThan(200);
    expect(watched!.cpuMs).toBeGreaterThan(0);
    expect(watched!.cpuMs).toBeLessThan(spent - 150);
    expect(watched!.minorFaults).toBeGreaterThanOrEqual(0);
    expect((await runLoad(spec)).watched).toEqual([]);
  } finally {
    await server.stop();
  }
});

test("two runs kept with their samples merge into one result over all of them", async () => {
  const bodyFile = `${work.folder}/chat-stream.json`;
  await Bun.write(bodyFile, chatBody("m", true));
  const spec = { url: `http://127.0.0.1:${parsing.port}/v1/chat/completions`, headers: {}, bodyFile, stream: true, concurrency: 4, durationMs: 30_000, warmup: 0, keepSamples: true };
  const parts = [await runLoad({ ...spec, requests: 30 }), await runLoad({ ...spec, requests: 50 })];
  expect(parts.map((part) => part.samples!.totals.length)).toEqual([30, 50]);
  const merged = mergeResults(parts, true);
  expect(merged).toMatchObject({ sent: 80, ok: 80, errors: 0 });
  expect(merged.seconds).toBeCloseTo(parts[0]!.seconds + parts[1]!.seconds, 9);
  expect(merged.cpuUs).toBe(parts[0]!.cpuUs + parts[1]!.cpuUs);
  expect(merged.rps).toBeCloseTo(80 / merged.seconds, 6);
  const all = parts.flatMap((part) => part.samples!.totals);
  expect(merged.p99).toBe(percentile(all, 0.99));
  expect(merged.ttftP50).toBe(percentile(parts.flatMap((part) => part.samples!.ttfts), 0.5));
  expect(() => mergeResults([{ ...parts[0]!, samples: undefined }], true)).toThrow("keepSamples");
});

test("the load generator counts error answers as errors, not as samples", async () => {
  const failing = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("overloaded", { status: 503 }) });
  const bodyFile = `${work.folder}/small.json`;
  await Bun.write(bodyFile, chatBody("m", false));
  const url = `http://127.0.0.1:${failing.port}/v1/chat/completions`;
  const result = await runLoad({ url, headers: {}, bodyFile, stream: false, concurrency: 4, requests: 40, durationMs: 30_000, warmup: 0 });
  failing.stop(true);
  expect(result.ok).toBe(0);
  expect(result.errors).toBe(40);
  expect(result.firstError).toContain("HTTP 503");
});

test("the generated gateway config, 50 models and 200 routes, compiles without errors", async () => {
  const config = `${work.folder}/router.config.yaml`;
  await Bun.write(config, benchConfig({ upstream: "http://127.0.0.1:1/v1", database: `${work.folder}/ledger.db` }));
  const out = await runCommand([process.execPath, "main.ts", "check", "--config", config], ROOT);
  expect(out.match(/^ {2}route-\d+:/gm)).toHaveLength(199);
  expect(out).toContain("direct: always");
});

test("a bench request from the bench key walks every route to the last, its classifier rule holding on the key", async () => {
  const config = `${work.folder}/explain.yaml`;
  await Bun.write(config, benchConfig({ upstream: "http://127.0.0.1:1/v1", database: `${work.folder}/explain.db` }));
  for (const shape of ["chat", "agent"] as const) {
    const request = `${work.folder}/${shape}.json`;
    await Bun.write(request, JSON.stringify({ ...JSON.parse(bodyOf(shape, BENCH_MODEL, true)), $key: { name: BENCH_KEY } }));
    const out = await runCommand([process.execPath, "main.ts", "explain", "--config", config, request], ROOT);
    expect(out).toContain("route: direct");
    // Its key test passes for the bench key, so the classifier must be asked (and is no coding).
    expect(out).toContain(`classifier intent = "other"`);
    expect(out).toContain(`when intent == "coding" and key.name == "${BENCH_KEY}" is false`);
  }
});
