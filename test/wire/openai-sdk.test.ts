// The official openai SDK must accept what encodeResponse and StreamEncoder produce, errors included.

import { afterAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { errors } from "../../core/errors.ts";
import type { ChatResponse, StreamEvent, Usage } from "../../core/kit/canonical.ts";
import { encodeResponse, StreamEncoder } from "../../core/wire/openai/index.ts";

const usage: Usage = { inputTokens: 120, outputTokens: 30, cachedInputTokens: 100, reasoningTokens: 8 };
const response: ChatResponse = {
  id: "gen-1",
  model: "gpt-5-mini",
  created: 1_741_569_952,
  text: "",
  toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
  finishReason: "tool_calls",
  usage,
};
const events: StreamEvent[] = [
  { type: "start", id: "gen-2", model: "gpt-5-mini" },
  { type: "text", text: "Checking" },
  { type: "text", text: " the weather." },
  { type: "tool_call_start", index: 0, id: "call_1", name: "get_weather" },
  { type: "tool_call_delta", index: 0, arguments: '{"city":' },
  { type: "tool_call_delta", index: 0, arguments: '"Paris"}' },
  { type: "finish", reason: "tool_calls", native: "tool_calls" },
];

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    const body = (await req.json()) as { model: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
    if (!body.stream) return Response.json(encodeResponse(response, { id: "gen-1", model: body.model, costUsd: 0.00042 }));
    const encoder = new StreamEncoder({ id: "gen-2", model: body.model, created: 1_741_569_952, includeUsage: body.stream_options?.include_usage === true });
    let text = events.map((event) => encoder.encode(event)).join("");
    text += body.model === "failing" ? encoder.error(errors.upstream("vendor went away")) : encoder.end(usage, 0.00042);
    return new Response(text, { headers: { "content-type": "text/event-stream" } });
  },
});
afterAll(() => server.stop(true));

const client = new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: "test", maxRetries: 0 });
const messages = [{ role: "user" as const, content: "Weather in Paris?" }];

describe("openai SDK against our encoders", () => {
  test("a non-streamed completion with a tool call and cost reads back through the SDK", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-5-mini", messages });
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
    expect(completion.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 100 } });
    expect((completion.usage as unknown as { cost: number }).cost).toBe(0.00042);
  });

  test("a streamed completion with tool-call deltas and a usage chunk reads back through the SDK", async () => {
    const stream = await client.chat.completions.create({ model: "gpt-5-mini", messages, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let args = "";
    let finish: string | null = null;
    let cost: number | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      text += choice?.delta.content ?? "";
      args += choice?.delta.tool_calls?.[0]?.function?.arguments ?? "";
      finish = choice?.finish_reason ?? finish;
      if (chunk.usage) cost = (chunk.usage as unknown as { cost: number }).cost;
    }
    expect({ text, args, finish, cost }).toEqual({ text: "Checking the weather.", args: '{"city":"Paris"}', finish: "tool_calls", cost: 0.00042 });
  });

  test("the SDK's stream runner accumulates our chunks into a final completion", async () => {
    const runner = client.chat.completions.stream({ model: "gpt-5-mini", messages, stream_options: { include_usage: true } });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe("Checking the weather.");
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(final.usage?.total_tokens).toBe(150);
  });

  test("an error frame makes the SDK throw mid-stream", async () => {
    const stream = await client.chat.completions.create({ model: "failing", messages, stream: true });
    const consume = async () => {
      for await (const _chunk of stream) {
        // drain until the error frame
      }
    };
    await expect(consume()).rejects.toThrow("vendor went away");
  });
});
