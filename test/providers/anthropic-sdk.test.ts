// The official Anthropic SDK accepts what the wire codec serves to clients, streamed and not.

import { afterAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { ChatResponse, StreamEvent, Usage } from "../../core/kit/canonical.ts";
import { encodeResponse, StreamEncoder } from "../../core/wire/anthropic/index.ts";

const usage: Usage = { inputTokens: 1500, outputTokens: 42, cachedInputTokens: 1000, cacheWriteTokens: 200 };
const events: StreamEvent[] = [
  { type: "start", id: "upstream", model: "upstream-model" },
  { type: "reasoning", text: "Paris needs a lookup." },
  { type: "reasoning", text: "", signature: "sig-abc" },
  { type: "text", text: "Let me " },
  { type: "text", text: "check." },
  { type: "tool_call_start", index: 0, id: "toolu_9", name: "get_weather" },
  { type: "tool_call_delta", index: 0, arguments: '{"city":' },
  { type: "tool_call_delta", index: 0, arguments: '"Paris"}' },
  { type: "usage", usage },
  { type: "finish", reason: "tool_calls" },
];
const response: ChatResponse = {
  id: "upstream", model: "upstream-model", created: 0, text: "Let me check.", reasoning: "Paris needs a lookup.", reasoningSignature: "sig-abc",
  toolCalls: [{ id: "toolu_9", name: "get_weather", arguments: '{"city":"Paris"}' }], finishReason: "tool_calls", usage,
};

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    const body = (await req.json()) as { stream?: boolean; model: string };
    if (!body.stream) return Response.json(encodeResponse(response, { id: "msg_gw_1", model: body.model }));
    const encoder = new StreamEncoder({ id: "msg_gw_2", model: body.model });
    let text = "";
    for (const event of events) text += encoder.encode(event);
    text += encoder.end(usage);
    return new Response(text, { headers: { "content-type": "text/event-stream" } });
  },
});
afterAll(() => server.stop(true));

const client = new Anthropic({ baseURL: `http://127.0.0.1:${server.port}`, apiKey: "test", maxRetries: 0 });
const params = { model: "claude-sonnet", max_tokens: 1024, messages: [{ role: "user" as const, content: "Weather in Paris?" }] };
const expected = {
  role: "assistant",
  model: "claude-sonnet",
  stop_reason: "tool_use",
  content: [
    { type: "thinking", thinking: "Paris needs a lookup.", signature: "sig-abc" },
    { type: "text", text: "Let me check." },
    { type: "tool_use", id: "toolu_9", name: "get_weather", input: { city: "Paris" } },
  ],
  usage: { input_tokens: 300, output_tokens: 42, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 },
};

describe("Anthropic SDK against our encoders", () => {
  test("messages.stream() assembles the final message from StreamEncoder output", async () => {
    const message = await client.messages.stream(params).finalMessage();
    expect(message).toMatchObject({ id: "msg_gw_2", ...expected });
  });

  test("messages.create() reads encodeResponse output", async () => {
    const message = await client.messages.create(params);
    expect(message).toMatchObject({ id: "msg_gw_1", ...expected });
  });
});
