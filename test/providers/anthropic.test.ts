// The `anthropic` provider against the fake Anthropic API: requests, streams, usage, errors, aborts.

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { createKit } from "../../core/kit/kit.ts";
import type { ChatRequest, ChatResponse, StreamEvent } from "../../core/kit/canonical.ts";
import type { ProviderInstance } from "../../core/kit/plugin.ts";
import anthropicPlugin from "../../plugins/providers/anthropic/index.ts";
import { anthropicError, FAKE_SIGNATURE, startFakeAnthropic } from "../fakes/anthropic.ts";
import { instantiate } from "../plugin-instance.ts";
import { collect as events } from "./results.ts";

const kit = createKit();
const plugin = anthropicPlugin(kit);
const fake = startFakeAnthropic();
afterAll(() => fake.close());
beforeEach(() => (fake.requests.length = 0));

// Built once through the host's path (defaults filled in), then shared by every test.
const built = instantiate<ProviderInstance>(anthropicPlugin, { api_key: "sk-ant-test", base_url: fake.url }, kit);
const instance = await built;
function provider(): ProviderInstance {
  return instance;
}

const ask = (stream: boolean, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "claude-sonnet-4-5",
  stream,
  messages: [{ role: "user", content: [{ type: "text", text: "What is the weather in Paris?" }] }],
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
  ...extra,
});

const toolReply = {
  text: "Checking.",
  reasoning: "Call the weather tool for Paris.",
  toolCalls: [{ id: "toolu_01", name: "get_weather", arguments: '{"city":"Paris"}' }],
  usage: { input: 1200, output: 40, cached: 1000, cacheWrite: 100, cacheWrite1h: 60 },
};

describe("anthropic provider", () => {
  test("settings defaults fill base_url, version and default_max_tokens", () => {
    expect(kit.Value.Default(plugin.settings, { api_key: "k" })).toEqual({ api_key: "k", base_url: "https://api.anthropic.com", version: "2023-06-01", default_max_tokens: 4096 });
  });

  test("sends the key, version and an Anthropic body to /v1/messages", async () => {
    await provider().chat(ask(false), new AbortController().signal);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("sk-ant-test");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.body).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 4096, tools: [{ name: "get_weather" }] });
  });

  test("a non-streamed reply decodes text, reasoning, tool calls and cache usage, an hour's writes apart", async () => {
    fake.enqueue({ kind: "reply", reply: toolReply });
    const response = (await provider().chat(ask(false), new AbortController().signal)) as ChatResponse;
    expect(response).toMatchObject({
      text: "Checking.",
      reasoning: "Call the weather tool for Paris.",
      reasoningSignature: FAKE_SIGNATURE,
      toolCalls: [{ id: "toolu_01", name: "get_weather", arguments: '{"city":"Paris"}' }],
      finishReason: "tool_calls",
      usage: { inputTokens: 1200, outputTokens: 40, cachedInputTokens: 1000, cacheWriteTokens: 100, cacheWrite1hTokens: 60 },
    });
  });

  test("a streamed reply yields thinking, text, tool-call argument deltas, usage and finish", async () => {
    fake.enqueue({ kind: "reply", reply: toolReply });
    const result = await provider().chat(ask(true), new AbortController().signal);
    const list = await events(result);
    expect((fake.requests[0]!.body as { stream?: boolean }).stream).toBe(true);
    const joined = (type: string, key: "text" | "arguments") => list.filter((e) => e.type === type).map((e) => (e as Record<string, string>)[key]).join("");
    expect(joined("reasoning", "text")).toBe("Call the weather tool for Paris.");
    expect(list.some((e) => e.type === "reasoning" && e.signature === FAKE_SIGNATURE)).toBe(true);
    expect(joined("text", "text")).toBe("Checking.");
    expect(list.filter((e) => e.type === "tool_call_delta").length).toBeGreaterThan(1);
    expect(joined("tool_call_delta", "arguments")).toBe('{"city":"Paris"}');
    expect(list.slice(-2)).toEqual([
      { type: "usage", usage: { inputTokens: 1200, outputTokens: 40, cachedInputTokens: 1000, cacheWriteTokens: 100, cacheWrite1hTokens: 60 } },
      { type: "finish", reason: "tool_calls", native: "tool_use" },
    ]);
  });

  test("529 overloaded becomes a retryable upstream error", async () => {
    fake.enqueue({ kind: "error", status: 529, body: anthropicError("overloaded_error", "Overloaded") });
    const error = await provider().chat(ask(false), new AbortController().signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "upstream_error", upstreamStatus: 529, retryable: true });
  });

  test("429 becomes rate_limited with the retry-after delay", async () => {
    fake.enqueue({ kind: "error", status: 429, body: anthropicError("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), headers: { "retry-after": "12" } });
    const error = await provider().chat(ask(false), new AbortController().signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 12000, retryable: true });
  });

  test("a prompt that is too long becomes context_length_exceeded", async () => {
    fake.enqueue({ kind: "error", status: 400, body: anthropicError("invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum") });
    const error = await provider().chat(ask(false), new AbortController().signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "context_length_exceeded" });
  });

  test("aborting a stream closes the upstream connection", async () => {
    fake.enqueue({ kind: "stall", reply: { text: "a long answer that never ends" }, afterFrames: 3 });
    const controller = new AbortController();
    const result = await provider().chat(ask(true), controller.signal);
    const iterator = (result as AsyncIterable<StreamEvent>)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: "start" });
    const before = fake.aborted;
    const aborted = fake.nextAbort();
    controller.abort();
    await aborted;
    expect(fake.aborted).toBe(before + 1);
  });

  test("lists the vendor's models", async () => {
    expect(await provider().models!(new AbortController().signal)).toEqual(["claude-sonnet-4-5"]);
  });
});
