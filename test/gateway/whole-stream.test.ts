// A stream request answered whole (a user's provider plugin that cannot stream, an OpenAI-compatible
// server that ignores `stream`), and a whole answer asked of a plugin that only streams. The client
// gets what it asked for, SSE or JSON, with the whole answer in it, and the ledger meters it. Last,
// the two conversions on their own, with the events no plugin of these tests sends.

import { afterAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { EVENT_BATCHES, type ChatResponse } from "../../core/kit/canonical.ts";
import { eventsOf, WholeAnswer, wholeAsStream } from "../../core/gateway/whole-stream.ts";
import { cannedProvider, streamOnlyProvider } from "../reload/plugin-files.ts";
import { anthropicClient, generation, openaiClient, readChatStream, startGateway, streamedMessage } from "./harness.ts";

/** An OpenAI-compatible server that answers every request as chat.completion JSON, streamed or not. */
const wholeServer = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const body = (await request.json()) as { model: string };
    return Response.json({
      id: "chatcmpl-whole",
      object: "chat.completion",
      created: 1_741_569_952,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: "answered whole" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 },
    });
  },
});

const gateway = await startGateway(
  `
plugins: [./plugins]
providers:
  mine: { use: canned }
  streamer: { use: streamer }
  local: { use: openai-compatible, base_url: "http://127.0.0.1:${wholeServer.port}/v1", api_key: "unused" }
models:
  canned: [{ provider: mine, model: c, price: { input: 1, output: 1 } }]
  streamed: [{ provider: streamer, model: s, price: { input: 1, output: 1 } }]
  local: [{ provider: local, model: whole-model, price: { input: 1, output: 1 } }]
routes: [{ name: direct, to: $model }]
`,
  { files: { "plugins/canned.ts": cannedProvider("hello from a plugin"), "plugins/streamer.ts": streamOnlyProvider(["streamed ", "word ", "by word"]) } },
);
afterAll(async () => {
  await gateway.close();
  await wholeServer.stop(true);
});

describe("a stream request answered whole", () => {
  test("a plugin that returns a whole answer streams it to the OpenAI SDK, and the ledger meters it", async () => {
    const { data: stream, response } = await openaiClient(gateway)
      .chat.completions.create({ model: "canned", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe("hello from a plugin");
    expect(usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 1 });
    const row = await generation(gateway, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ status: 200, tokens_prompt: 1 });
  });

  test("and to the Anthropic SDK as Anthropic's events", async () => {
    const { message } = await streamedMessage(gateway, "canned", "hi");
    expect(message.content).toEqual([{ type: "text", text: "hello from a plugin" }] as never);
    expect(message.stop_reason).toBe("end_turn");
  });

  test("an OpenAI-compatible server that ignores `stream` and answers JSON is streamed on, not failed over", async () => {
    const client: OpenAI = openaiClient(gateway);
    const { data: stream, response } = await client.chat.completions
      .create({ model: "local", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe("answered whole");
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 2 });
    expect(response.headers.get("x-switchyard-attempts")).toBe("1");
  });
});

describe("a whole answer asked of a plugin that only streams", () => {
  test("reaches the OpenAI SDK as one chat.completion, its text and tool call gathered, and the ledger meters it", async () => {
    const { data, response } = await openaiClient(gateway)
      .chat.completions.create({ model: "streamed", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(response.headers.get("content-type")).toStartWith("application/json");
    expect(data.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: { content: "streamed word by word", tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }] },
    });
    expect(data.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 6 });
    expect(await generation(gateway, data.id)).toMatchObject({ status: 200, tokens_prompt: 4 });
  });

  test("and the Anthropic SDK as one message", async () => {
    const message = await anthropicClient(gateway).messages.create({ model: "streamed", max_tokens: 50, messages: [{ role: "user", content: "hi" }] });
    expect(message.content).toEqual([
      { type: "text", text: "streamed word by word" },
      { type: "tool_use", id: "call_1", name: "lookup", input: { q: "x" } },
    ] as never);
    expect(message.stop_reason).toBe("tool_use");
  });
});

describe("a whole answer and its events", () => {
  const gather = (response: ChatResponse) => {
    const answer = new WholeAnswer();
    for (const event of eventsOf(response)) answer.add(event);
    return answer.build();
  };
  const base = { id: "resp-1", model: "m", created: 1_741_569_952, text: "", toolCalls: [], finishReason: "stop" } satisfies ChatResponse;

  test("reasoning blocks, a refusal, tool calls, usage and the native finish survive the way there and back", () => {
    const response: ChatResponse = {
      ...base,
      text: "partly",
      refusal: "I can't help with the rest.",
      reasoningBlocks: [
        { type: "thinking", text: "weighing it", signature: "sig-1" },
        { type: "redacted", data: "opaque" },
        { type: "openai", id: "rs_1", encrypted: "enc" },
      ],
      toolCalls: [{ id: "call_a", name: "look", arguments: '{"q":1}' }, { id: "call_b", name: "fetch", arguments: "{}" }],
      usage: { inputTokens: 10, outputTokens: 7, reasoningTokens: 3 },
      finishReason: "tool_calls",
      nativeFinishReason: "tool_use",
    };
    expect(gather(response)).toMatchObject({
      id: "resp-1",
      model: "m",
      text: "partly",
      refusal: "I can't help with the rest.",
      reasoningBlocks: response.reasoningBlocks,
      toolCalls: response.toolCalls,
      usage: response.usage,
      finishReason: "tool_calls",
      nativeFinishReason: "tool_use",
    });
  });

  test("a plain reasoning text keeps its signature, and one without blocks makes none", () => {
    const gathered = gather({ ...base, text: "4", reasoning: "2 + 2", reasoningSignature: "sig-2" });
    expect(gathered).toMatchObject({ text: "4", reasoning: "2 + 2", reasoningSignature: "sig-2" });
    expect(gathered.reasoningBlocks).toBeUndefined();
  });

  test("as a stream it is one batch, and a stream returned early sends nothing more", async () => {
    const batches = wholeAsStream({ ...base, text: "hi" })[EVENT_BATCHES]();
    expect((await batches.next()).value?.map((event) => event.type)).toEqual(["start", "text", "finish"]);
    expect(await batches.next()).toEqual({ done: true, value: undefined });
    const early = wholeAsStream({ ...base, text: "hi" })[EVENT_BATCHES]();
    expect(await early.return!()).toEqual({ done: true, value: undefined });
    expect(await early.next()).toEqual({ done: true, value: undefined });
  });
});
