// Shared behaviour suite for providers speaking Chat Completions, run against the fake OpenAI vendor.

import { afterAll, describe, expect, test } from "bun:test";
import type { ChatRequest, ChatResponse, ProviderInstance, StreamEvent } from "../../core/kit/index.ts";
import { createKit, type Kit } from "../../core/kit/kit.ts";
import type { PluginExport } from "../../core/kit/plugin.ts";
import { openaiErrorBody, startFakeOpenAI } from "../fakes/openai.ts";
import { instantiate as build } from "../plugin-instance.ts";
import { collect, failure } from "./results.ts";

export const kit: Kit = createKit();

/** Builds a provider the way the host does: defaults applied, settings checked, then `create`. */
export function instantiate(pluginExport: PluginExport, raw: Record<string, unknown>): Promise<ProviderInstance> {
  return build<ProviderInstance>(pluginExport, raw, kit);
}

export const ask = (text: string, stream = false): ChatRequest => ({
  model: "gpt-4o-mini",
  stream,
  messages: [{ role: "user", content: [{ type: "text", text }] }],
  maxTokens: 256,
});

/** `settingsFor(baseUrl)` gives the plugin's settings pointing at the fake. */
export function openAIProviderSuite(name: string, pluginExport: PluginExport, settingsFor: (url: string) => Record<string, unknown>) {
  describe(`${name} provider against the fake OpenAI vendor`, () => {
    const fake = startFakeOpenAI();
    afterAll(() => fake.close());
    const provider = () => instantiate(pluginExport, settingsFor(fake.url));
    const signal = () => new AbortController().signal;

    test("a non-streamed request returns the vendor's text, finish and usage", async () => {
      fake.enqueue({ kind: "reply", reply: { text: "Paris is the capital.", usage: { input: 12, output: 6, cached: 4 } } });
      const response = (await (await provider()).chat(ask("Capital of France?"), signal())) as ChatResponse;
      expect(response).toMatchObject({ text: "Paris is the capital.", finishReason: "stop", model: "gpt-4o-mini" });
      expect(response.usage).toEqual({ inputTokens: 12, outputTokens: 6, cachedInputTokens: 4 });
      expect((fake.requests.at(-1)!.body as { messages: unknown }).messages).toEqual([{ role: "user", content: "Capital of France?" }]);
    });

    test("a stream with tool calls yields the call start and its argument deltas in order", async () => {
      const toolCalls = [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' }];
      fake.enqueue({ kind: "reply", reply: { toolCalls } });
      const events = await collect(await (await provider()).chat(ask("Weather?", true), signal()));
      expect(events[1]).toEqual({ type: "tool_call_start", index: 0, id: "call_1", name: "get_weather" });
      const deltas = events.filter((event) => event.type === "tool_call_delta");
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.map((event) => event.arguments).join("")).toBe(toolCalls[0]!.arguments);
      expect(events.at(-1)).toEqual({ type: "finish", reason: "tool_calls", native: "tool_calls" });
    });

    test("a stream always asks the vendor for the usage chunk and yields its usage", async () => {
      fake.enqueue({ kind: "reply", reply: { text: "Hello there", usage: { input: 9, output: 2 } } });
      const events = await collect(await (await provider()).chat(ask("Hi", true), signal()));
      expect((fake.requests.at(-1)!.body as { stream_options: unknown }).stream_options).toEqual({ include_usage: true });
      expect(events).toContainEqual({ type: "usage", usage: { inputTokens: 9, outputTokens: 2 } });
    });

    test("a 429 with retry-after becomes a retryable rate_limited error with the delay", async () => {
      fake.enqueue({ kind: "error", status: 429, body: openaiErrorBody("Rate limit reached", "requests", "rate_limit_exceeded"), headers: { "retry-after": "3" } });
      const error = await failure((await provider()).chat(ask("Hi"), signal()));
      expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 3000, retryable: true, upstreamStatus: 429 });
    });

    test("a 400 context_length_exceeded becomes a context_length_exceeded error", async () => {
      fake.enqueue({ kind: "error", status: 400, body: openaiErrorBody("maximum context length is 8192 tokens", "invalid_request_error", "context_length_exceeded", "messages") });
      const error = await failure((await provider()).chat(ask("a very long prompt"), signal()));
      expect(error.code).toBe("context_length_exceeded");
      expect(error.message).toBe("maximum context length is 8192 tokens");
    });

    test("aborting a stream mid-way closes the upstream connection", async () => {
      fake.enqueue({ kind: "stall", reply: { text: "one two three four" }, afterFrames: 2 });
      const controller = new AbortController();
      const stream = (await (await provider()).chat(ask("Count", true), controller.signal)) as AsyncIterable<StreamEvent>;
      const iterator = stream[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toMatchObject({ type: "start" });
      const before = fake.aborted;
      const aborted = fake.nextAbort();
      controller.abort();
      await iterator.next().catch(() => undefined);
      await aborted;
      expect(fake.aborted).toBe(before + 1);
    });

    test("aborting before the vendor answers rejects and closes the upstream connection", async () => {
      fake.enqueue({ kind: "hang" });
      const controller = new AbortController();
      const seen = fake.requests.length;
      const pending = (await provider()).chat(ask("Hi"), controller.signal);
      const aborted = fake.nextAbort();
      // Abort once the fake holds the request (it records before answering), so the connection is open.
      while (fake.requests.length === seen) await new Promise<void>((resolve) => setImmediate(resolve));
      controller.abort();
      await expect(pending).rejects.toThrow();
      await aborted;
    });

    test("an unreachable vendor is a retryable upstream error", async () => {
      const gone = startFakeOpenAI();
      const url = gone.url;
      await gone.close();
      const instance = await instantiate(pluginExport, settingsFor(url));
      const error = await failure(instance.chat(ask("Hi"), signal()));
      expect(error).toMatchObject({ code: "upstream_error", retryable: true });
    });
  });
}
