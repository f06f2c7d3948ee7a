// Anthropic response, stream and error codecs: recorded vendor output decodes, and encodes back.

import { describe, expect, test } from "bun:test";
import { SwitchyardError } from "../../core/errors.ts";
import type { StreamEvent } from "../../core/kit/canonical.ts";
import { decodeError, decodeResponse, decodeStream, decodeStreamBody, encodeError, encodeResponse, StreamEncoder } from "../../core/wire/anthropic/index.ts";
import { decodeBoth } from "./decode-both.ts";

const anthropicStream = { decodeStream, decodeStreamBody };

const fixture = (name: string) => Bun.file(new URL(`../fixtures/anthropic/${name}`, import.meta.url));

describe("Anthropic response codec", () => {
  test("a recorded message decodes with thinking, tool call and cache-inclusive input tokens", async () => {
    const response = decodeResponse(await fixture("message.json").json());
    expect(response).toMatchObject({
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      model: "claude-sonnet-4-5",
      text: "I'll check the current weather in San Francisco for you.",
      reasoning: "The user wants the weather; I should call the tool.",
      reasoningSignature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
      toolCalls: [{ id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", arguments: '{"location":"San Francisco, CA","unit":"celsius"}' }],
      finishReason: "tool_calls",
      nativeFinishReason: "tool_use",
      usage: { inputTokens: 1496, outputTokens: 89, cachedInputTokens: 1024 },
    });
  });

  test("encoding a decoded message and decoding it again keeps every canonical field", async () => {
    const original = decodeResponse(await fixture("message.json").json());
    const again = decodeResponse(encodeResponse(original, { id: original.id, model: original.model }));
    expect({ ...again, created: 0 }).toEqual({ ...original, created: 0 });
  });

  test("a recorded web search answer keeps its blocks as they came, its text read and its searches counted", async () => {
    const recorded = (await fixture("message-web-search.json").json()) as { content: unknown[] };
    const response = decodeResponse(recorded);
    expect(response.anthropicContent).toEqual(recorded.content as Record<string, unknown>[]);
    expect(response.text).toBe("I'll search for when Claude Shannon was born.Claude Shannon was born on April 30, 1916, in Petoskey, Michigan");
    expect(response.usage).toEqual({ inputTokens: 6039, outputTokens: 931, webSearches: 1 });
    const encoded = encodeResponse(response, { id: "a", model: "b" });
    expect(encoded.content).toEqual(recorded.content);
    expect(encoded.usage).toMatchObject({ server_tool_use: { web_search_requests: 1 } });
    // An answer of text and client tool calls alone is built from the canonical fields, as before.
    expect(decodeResponse({ content: [{ type: "text", text: "plain" }] }).anthropicContent).toBeUndefined();
  });

  test("stop reasons map both ways and keep the native one", () => {
    const base = { id: "m", model: "x", created: 0, text: "t", toolCalls: [] };
    expect(encodeResponse({ ...base, finishReason: "stop", nativeFinishReason: "stop_sequence" }, { id: "a", model: "b" }).stop_reason).toBe("stop_sequence");
    expect(encodeResponse({ ...base, finishReason: "length" }, { id: "a", model: "b" }).stop_reason).toBe("max_tokens");
    expect(decodeResponse({ content: [], stop_reason: "refusal" }).finishReason).toBe("content_filter");
    expect(decodeResponse({ content: [], stop_reason: "max_tokens" }).finishReason).toBe("length");
    // A paused server-tool turn is unfinished for another dialect's client, and pause_turn for Anthropic's.
    const paused = decodeResponse({ content: [], stop_reason: "pause_turn" });
    expect(paused.finishReason).toBe("length");
    expect(encodeResponse({ ...base, finishReason: paused.finishReason, nativeFinishReason: "pause_turn" }, { id: "a", model: "b" }).stop_reason).toBe("pause_turn");
  });

  test("cache writes count in canonical input and come back out as cache_creation_input_tokens", () => {
    const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 300, cache_read_input_tokens: 200 };
    const response = decodeResponse({ content: [], usage });
    expect(response.usage).toEqual({ inputTokens: 510, outputTokens: 5, cachedInputTokens: 200, cacheWriteTokens: 300 });
    expect(encodeResponse(response, { id: "a", model: "b" }).usage).toEqual({ ...usage, cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 0 } });
  });

  test("writes to the hour-long cache are told apart, both ways", () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 5,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 120, ephemeral_1h_input_tokens: 180 },
    };
    const response = decodeResponse({ content: [], usage });
    expect(response.usage).toEqual({ inputTokens: 310, outputTokens: 5, cacheWriteTokens: 300, cacheWrite1hTokens: 180 });
    expect(encodeResponse(response, { id: "a", model: "b" }).usage).toEqual(usage);
  });
});

describe("Anthropic stream codec", () => {
  test("a recorded stream decodes to start, reasoning, text, tool-call deltas, usage and finish", async () => {
    const events = await decodeBoth(anthropicStream, await fixture("stream.sse").text());
    // message_start's counts: 472 uncached and 1024 read from the cache make a prompt of 1496.
    expect(events[0]).toEqual({ type: "start", id: "msg_014p7gG3wDgGV9EUtLvnow3U", model: "claude-sonnet-4-5", usage: { inputTokens: 1496, outputTokens: 2, cachedInputTokens: 1024 } });
    expect(events.filter((e) => e.type === "reasoning").map((e) => (e as { signature?: string }).signature).filter(Boolean)).toHaveLength(1);
    expect(events.filter((e) => e.type === "text").map((e) => (e as { text: string }).text).join("")).toBe("Okay, let's check the weather.");
    expect(events.filter((e) => e.type === "tool_call_start")).toEqual([{ type: "tool_call_start", index: 0, id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather" }]);
    expect(events.filter((e) => e.type === "tool_call_delta").map((e) => (e as { arguments: string }).arguments).join("")).toBe('{"location": "San Francisco, CA"}');
    expect(events.slice(-2)).toEqual([
      { type: "usage", usage: { inputTokens: 1496, outputTokens: 89, cachedInputTokens: 1024 } },
      { type: "finish", reason: "tool_calls", native: "tool_use" },
    ]);
  });

  test("an error event in the stream throws a retryable upstream error", async () => {
    const run = decodeBoth(anthropicStream, await fixture("stream-error.sse").text());
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect(error).toMatchObject({ code: "upstream_error", upstreamStatus: 529, retryable: true, message: "Overloaded" });
  });

  test("a tool called with no arguments, one empty partial_json streamed, has arguments {} as the whole answer gives them", async () => {
    const frame = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
    const text = [
      frame("message_start", { message: { id: "msg_1", model: "claude-sonnet-4-5", usage: { input_tokens: 9, output_tokens: 1 } } }),
      frame("content_block_start", { index: 0, content_block: { type: "tool_use", id: "toolu_2", name: "list_files", input: {} } }),
      frame("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: "" } }),
      frame("content_block_stop", { index: 0 }),
      frame("message_delta", { delta: { stop_reason: "tool_use" }, usage: { output_tokens: 12 } }),
      frame("message_stop", {}),
    ].join("");
    const events = await decodeBoth(anthropicStream, text);
    expect(events.filter((event) => event.type === "tool_call_delta")).toEqual([{ type: "tool_call_delta", index: 0, arguments: "{}" }]);
  });

  test("a stream that ends before message_stop throws", async () => {
    const text = (await fixture("stream.sse").text()).split("event: message_delta")[0]!;
    await expect(decodeBoth(anthropicStream, text)).rejects.toMatchObject({ code: "upstream_error" });
  });

  test("a stream with no message_start, or an answer with no content list, is a retryable upstream error, not an empty answer", async () => {
    const stopOnly = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    await expect(decodeBoth(anthropicStream, stopOnly)).rejects.toMatchObject({ code: "upstream_error", retryable: true, message: "Anthropic stream ended with no message_start" });
    const noContent = { id: "msg_1", type: "message", role: "assistant", model: "m", stop_reason: "end_turn", usage: { input_tokens: 5, output_tokens: 1 } };
    expect(() => decodeResponse(noContent)).toThrow("no content list");
    expect(decodeResponse({ ...noContent, content: [] }).text).toBe("");
  });

  test("StreamEncoder output decodes back to the same events", async () => {
    const source = await decodeBoth(anthropicStream, await fixture("stream.sse").text());
    const encoder = new StreamEncoder({ id: "msg_gateway", model: "claude-sonnet" });
    let text = "";
    for (const event of source) text += encoder.encode(event);
    const usage = source.find((e): e is Extract<StreamEvent, { type: "usage" }> => e.type === "usage");
    text += encoder.end(usage?.usage);
    const again = await decodeBoth(anthropicStream, text);
    // The prompt's counts that Anthropic's message_start carried reach the client's message_start.
    expect(source[0]).toMatchObject({ type: "start", usage: { inputTokens: expect.any(Number) } });
    expect(again[0]).toEqual({ ...source[0]!, id: "msg_gateway", model: "claude-sonnet" } as StreamEvent);
    expect(again.slice(1)).toEqual(source.slice(1));
  });

  test("StreamEncoder sends message_start and ping first, and ignores usage events", () => {
    const encoder = new StreamEncoder({ id: "msg_1", model: "m" });
    const first = encoder.encode({ type: "start", id: "up", model: "up" });
    expect(first.split("\n\n").filter(Boolean).map((f) => f.split("\n")[0])).toEqual(["event: message_start", "event: ping"]);
    expect(encoder.encode({ type: "usage", usage: { inputTokens: 1, outputTokens: 1 } })).toBe("");
  });

  test("StreamEncoder keeps each signed thinking block and each redacted one a block of its own", () => {
    const encoder = new StreamEncoder({ id: "msg_1", model: "m" });
    const events: StreamEvent[] = [
      { type: "start", id: "up", model: "up" },
      { type: "reasoning", text: "first" },
      { type: "reasoning", text: "", signature: "sig-1" },
      { type: "reasoning", text: "second" },
      { type: "reasoning", text: "", signature: "sig-2" },
      { type: "redacted_reasoning", data: "opaque" },
      { type: "text", text: "done" },
    ];
    const text = events.map((event) => encoder.encode(event)).join("") + encoder.end(undefined);
    const starts = text
      .split("\n\n")
      .filter((frame) => frame.startsWith("event: content_block_start"))
      .map((frame) => JSON.parse(frame.split("data: ")[1]!) as { index: number; content_block: { type: string; data?: string } });
    expect(starts.map((s) => [s.index, s.content_block.type])).toEqual([
      [0, "thinking"],
      [1, "thinking"],
      [2, "redacted_thinking"],
      [3, "text"],
    ]);
    expect(starts[2]!.content_block.data).toBe("opaque");
  });

  test("StreamEncoder error frames use Anthropic's error shape", () => {
    const frame = new StreamEncoder({ id: "m", model: "m" }).error(new SwitchyardError("upstream_error", "Overloaded", { upstreamStatus: 529 }));
    expect(frame).toBe('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
  });
});

describe("Anthropic error codec", () => {
  test("529 overloaded decodes to a retryable upstream error with the vendor body in metadata", async () => {
    const body = await fixture("error-overloaded.json").json();
    const error = decodeError(529, body, new Headers());
    expect(error).toMatchObject({ code: "upstream_error", retryable: true, upstreamStatus: 529, message: "Overloaded" });
    expect(error.metadata).toMatchObject({ type: "overloaded_error", raw: body });
  });

  test("a prompt that is too long decodes to context_length_exceeded", async () => {
    const error = decodeError(400, await fixture("error-prompt-too-long.json").json(), new Headers());
    expect(error.code).toBe("context_length_exceeded");
  });

  test("429 keeps the vendor's retry-after", () => {
    const error = decodeError(429, { type: "error", error: { type: "rate_limit_error", message: "slow down" } }, new Headers({ "retry-after": "7" }));
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 7000, retryable: true });
  });

  test("gateway errors encode with Anthropic's error type names", () => {
    expect(encodeError(new SwitchyardError("unauthorized", "bad key"))).toEqual({ type: "error", error: { type: "authentication_error", message: "bad key" } });
    expect(encodeError(new SwitchyardError("rate_limited", "x")).error.type).toBe("rate_limit_error");
    expect(encodeError(new SwitchyardError("no_route", "x")).error.type).toBe("not_found_error");
    expect(encodeError(new SwitchyardError("bad_request", "x")).error.type).toBe("invalid_request_error");
  });
});
