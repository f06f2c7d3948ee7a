// The example Acme provider plugin: its wire format against a fake Acme server, and the plugin
// loaded from its folder into a real gateway with the example config.

import { afterAll, beforeEach, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import type { ChatRequest, ChatResponse, ProviderInstance, StreamEvent } from "../../core/kit/index.ts";
import { createKit } from "../../core/kit/kit.ts";
import { loadPluginFolder } from "../../core/plugins/load-folder.ts";
import { validatePlugin } from "../../core/plugins/validate.ts";
import acme from "../../examples/provider-acme/index.ts";
import { chatBody, postJson, startGateway } from "../gateway/harness.ts";
import { startFakeAcme } from "./fake-acme.ts";
import { instantiate } from "../plugin-instance.ts";
import { collect, failure as failureOf } from "../providers/results.ts";

const EXAMPLES = resolve(import.meta.dir, "../../examples");
const fake = startFakeAcme();
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

async function provider(): Promise<ProviderInstance> {
  const kit = createKit();
  return instantiate<ProviderInstance>(acme, { api_key: "acme-secret", base_url: `${fake.url}/v1` }, kit);
}

function request(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: "acme-large-2", stream: false, messages: [{ role: "user", content: [{ type: "text", text }] }], ...extra };
}

test("a non-streaming call sends Acme's body and returns the canonical response", async () => {
  fake.enqueue({ kind: "reply", reply: { text: "Forty-two.", usage: { input: 9, output: 3 } } });
  const response = (await (await provider()).chat(request("What is six times seven?", { maxTokens: 50, temperature: 0.2 }), new AbortController().signal)) as ChatResponse;
  expect(fake.requests[0]!.headers.authorization).toBe("Bearer acme-secret");
  expect(fake.requests[0]!.body).toEqual({
    model: "acme-large-2",
    prompt_messages: [{ role: "user", text: "What is six times seven?" }],
    max_new_tokens: 50,
    temperature: 0.2,
    stream: false,
  });
  expect(response).toMatchObject({ model: "acme-large-2", text: "Forty-two.", finishReason: "stop", nativeFinishReason: "end" });
  expect(response.usage).toEqual({ inputTokens: 9, outputTokens: 3 });
});

test("a streaming call turns token and done events into canonical stream events", async () => {
  fake.enqueue({ kind: "reply", reply: { text: "one two three", finish: "length", usage: { input: 5, output: 3 } } });
  const result = await (await provider()).chat(request("count", { stream: true }), new AbortController().signal);
  const events = await collect(result);
  expect(events[0]).toMatchObject({ type: "start", model: "acme-large-2" });
  expect(events.filter((e) => e.type === "text").map((e) => (e as { text: string }).text).join("")).toBe("one two three");
  expect(events.slice(-2)).toEqual([
    { type: "usage", usage: { inputTokens: 5, outputTokens: 3 } },
    { type: "finish", reason: "length", native: "max_tokens" },
  ]);
});

test("a 429 with retry-after becomes a retryable rate_limited error carrying the wait", async () => {
  fake.enqueue({ kind: "error", status: 429, body: { error: { message: "slow down" } }, headers: { "retry-after": "7" } });
  const error = await failureOf((await provider()).chat(request("hi"), new AbortController().signal));
  expect(error.code).toBe("rate_limited");
  expect(error.retryable).toBe(true);
  expect(error.retryAfterMs).toBe(7000);
  expect(error.message).toBe("acme: slow down");
});

test("a 400 becomes a bad_request that does not move on to another endpoint", async () => {
  fake.enqueue({ kind: "error", status: 400, body: { error: { message: "max_new_tokens too large" } } });
  const error = await failureOf((await provider()).chat(request("hi"), new AbortController().signal));
  expect(error.code).toBe("bad_request");
  expect(error.retryable).toBe(false);
});

test("a request with images is refused before any call, so another endpoint may take it", async () => {
  const withImage: ChatRequest = {
    model: "acme-large-2",
    stream: false,
    messages: [{ role: "user", content: [{ type: "image", source: { kind: "url", url: "https://example.com/cat.png" } }] }],
  };
  const error = await failureOf((await provider()).chat(withImage, new AbortController().signal));
  expect(error.retryable).toBe(true);
  expect(fake.requests).toHaveLength(0);
});

test("aborting the signal mid-stream cancels the upstream call", async () => {
  fake.enqueue({ kind: "stall", reply: { text: "a long answer that never finishes" }, afterFrames: 1 });
  const controller = new AbortController();
  const result = await (await provider()).chat(request("go", { stream: true }), controller.signal);
  const iterator = (result as AsyncIterable<StreamEvent>)[Symbol.asyncIterator]();
  expect((await iterator.next()).value).toMatchObject({ type: "start" });
  expect((await iterator.next()).value).toEqual({ type: "text", text: "a" });
  const upstreamGone = fake.nextAbort();
  controller.abort();
  await expect(iterator.next()).rejects.toBeDefined();
  await upstreamGone;
});

test("the examples folder loads as a plugin folder and the plugin passes validation", async () => {
  const loaded = await loadPluginFolder(EXAMPLES);
  expect(loaded.map((entry) => entry.file)).toEqual([join(EXAMPLES, "provider-acme", "index.ts")]);
  const entry = loaded[0]!;
  if ("problem" in entry) throw new Error(entry.problem.message);
  const result = validatePlugin(entry.exported, entry.file, createKit());
  expect(result.ok && `${result.plugin.kind}:${result.plugin.name}`).toBe("provider:acme");
});

test("a gateway started with the example config serves a chat completion through Acme", async () => {
  const example = await Bun.file(join(EXAMPLES, "provider-acme", "router.config.yaml")).text();
  // The example names ./examples relative to the project root; the test config lives elsewhere.
  const config = example.replace("plugins: [./examples]", `plugins: [${JSON.stringify(EXAMPLES)}]`);
  expect(config).not.toBe(example);
  const gateway = await startGateway(config, { env: { ACME_API_KEY: "acme-secret", ACME_BASE_URL: `${fake.url}/v1` } });
  try {
    fake.enqueue({ kind: "reply", reply: { text: "Routed via Acme." } });
    const response = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("acme-large", "hello"));
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-provider")).toBe("acme");
    expect(body.choices[0]!.message.content).toBe("Routed via Acme.");
  } finally {
    await gateway.close();
  }
});
