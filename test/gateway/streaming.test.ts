// Streams that go wrong: an upstream that breaks mid-answer, and a client that walks away.

import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { vendorSuite } from "./configs.ts";
import { anthropicClient, chatBody, generation, openaiClient, postJson } from "./harness.ts";

const { openaiFake, anthropicFake, gateway } = await vendorSuite();
const client = openaiClient(gateway);

describe("streams", () => {
  test("an upstream stream that breaks mid-answer ends the client stream with an error", async () => {
    openaiFake.enqueue({ kind: "break", reply: { text: "a long answer that will not finish" }, afterFrames: 3 });
    const stream = await client.chat.completions.create({ model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }], stream: true });
    let text = "";
    let id = "";
    const error = await (async () => {
      for await (const chunk of stream) {
        id = chunk.id;
        text += chunk.choices[0]?.delta.content ?? "";
      }
    })().catch((e: unknown) => e);
    expect(text.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain("upstream stream broke");
    // The row's attempt says the stream broke, not the 200 it opened with.
    const row = await gateway.runtime.ledger.generation(id);
    expect(row?.status).toBe(502);
    expect(row?.attempts).toEqual([{ endpoint: "openai/gpt-5-mini", status: 502, duration_ms: expect.any(Number), error: "upstream_error: the stream broke after it began" }]);
  });

  test("the raw stream of a broken answer has an error event and no [DONE]", async () => {
    openaiFake.enqueue({ kind: "break", reply: { text: "one two three four five" }, afterFrames: 2 });
    const response = await postJson(`${gateway.url}/v1/chat/completions`, { model: "gpt-5-mini", stream: true, messages: [{ role: "user", content: "hi" }] });
    const body = await response.text();
    expect(body).toContain('"error"');
    expect(body).not.toContain("[DONE]");
  });

  test("a stream that ended in the vendor's first read goes out whole, with its length, and is metered", async () => {
    const reply = { text: "short and whole", usage: { input: 12, output: 4 } };
    openaiFake.enqueue({ kind: "reply", reply, inOneRead: true });
    const response = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: "gpt-5-mini", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }],
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const body = await response.text();
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    expect(response.headers.get("transfer-encoding")).toBeNull();
    const frames = body.split("\n\n").filter(Boolean);
    expect(frames.at(-1)).toBe("data: [DONE]");
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame.slice("data: ".length)));
    const id = response.headers.get("x-request-id")!;
    expect(chunks.every((chunk) => chunk.id === id && chunk.model === "gpt-5-mini")).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("short and whole");
    expect(chunks.at(-1).usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 4, cost: expect.any(Number) });
    // The relay ended before the answer left: its row is there at once, with the vendor's usage.
    expect(await generation(gateway, id)).toMatchObject({ status: 200, tokens_prompt: 12 });
  });

  test("a whole stream reads like any other in both SDKs", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "one read", usage: { input: 3, output: 2 } }, inOneRead: true });
    const stream = await client.chat.completions.create({
      model: "gpt-5-mini", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true },
    });
    let text = "";
    let cost: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) cost = (chunk.usage as { cost?: unknown }).cost;
    }
    expect(text).toBe("one read");
    expect(cost).toBeGreaterThan(0);
    anthropicFake.enqueue({ kind: "reply", reply: { text: "also whole", usage: { input: 3, output: 2 } }, inOneRead: true });
    const messages = anthropicClient(gateway).messages.stream({
      model: "claude-sonnet", max_tokens: 64, messages: [{ role: "user", content: "hi" }],
    });
    const final = await messages.finalMessage();
    expect(final.content).toMatchObject([{ type: "text", text: "also whole" }]);
    expect(final.usage.output_tokens).toBe(2);
  });

  test("a whole stream carries tool calls and crosses dialects like any other", async () => {
    const toolCalls = [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }];
    openaiFake.enqueue({ kind: "reply", reply: { toolCalls, usage: { input: 9, output: 5 } }, inOneRead: true });
    const messages = anthropicClient(gateway).messages.stream({
      model: "gpt-5-mini", max_tokens: 64, messages: [{ role: "user", content: "weather?" }],
      tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
    });
    const final = await messages.finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content).toMatchObject([{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } }]);
    expect(final.usage).toMatchObject({ input_tokens: 9, output_tokens: 5 });
  });

  test("a client that disconnects mid-stream aborts the upstream call at once", async () => {
    anthropicFake.enqueue({ kind: "stall", reply: { text: "this answer stalls after its first words" }, afterFrames: 4 });
    const aborted = anthropicFake.nextAbort();
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "claude-sonnet", messages: [{ role: "user", content: "hi" }], stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break; // leaving the loop closes the connection
    }
    controller.abort();
    await aborted;
    expect(anthropicFake.aborted).toBeGreaterThanOrEqual(1);
  });

  test("a stream stopped short is charged the prompt's counts Anthropic gave as it opened, cache reads and writes too", async () => {
    const usage = { input: 80_000, output: 400, cached: 50_000, cacheWrite: 20_000 };
    anthropicFake.enqueue({ kind: "stall", reply: { text: "this answer stalls after its first words", usage }, afterFrames: 4 });
    const aborted = anthropicFake.nextAbort();
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: "claude-sonnet", messages: [{ role: "user", content: "hi" }], stream: true }, { signal: controller.signal });
    let id = "";
    for await (const chunk of stream) {
      id = chunk.id;
      if (chunk.choices[0]?.delta.content) break;
    }
    controller.abort();
    await aborted;
    let row = await generation(gateway, id);
    for (let tries = 0; !row && tries < 50; tries++) row = await generation(gateway, id);
    expect(row).toMatchObject({ status: 499, tokens_prompt: 80_000, native_tokens_cached: 50_000, native_tokens_cache_write: 20_000 });
  });

  test("a client that gives up on a non-streamed request aborts the upstream call too", async () => {
    openaiFake.enqueue({ kind: "hang" });
    const aborted = openaiFake.nextAbort();
    const before = openaiFake.requests.length;
    const controller = new AbortController();
    const pending = postJson(`${gateway.url}/v1/chat/completions`, chatBody("gpt-5-mini", "hi"), {}, { signal: controller.signal }).catch((e: unknown) => e);
    // Abort once the vendor has the request in hand.
    while (openaiFake.requests.length === before) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await pending;
    await aborted;
    expect(openaiFake.aborted).toBeGreaterThanOrEqual(1);
  });

  test("a stream the client abandons still gets its ledger row, marked cancelled", async () => {
    anthropicFake.enqueue({ kind: "stall", reply: { text: "partial words then silence" }, afterFrames: 4 });
    const aborted = anthropicFake.nextAbort();
    const controller = new AbortController();
    const response = await postJson(
      `${gateway.url}/v1/chat/completions`,
      { model: "claude-sonnet", stream: true, messages: [{ role: "user", content: "hi" }] },
      {},
      { signal: controller.signal },
    );
    const id = response.headers.get("x-request-id")!;
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await aborted;
    // The row is written when the relay winds down, an event or two after the abort: ask until
    // it is there (generation() also sees rows still queued for the database).
    let row: { data?: { cancelled: boolean; status: number } } = {};
    while (!row.data) row = (await (await fetch(`${gateway.url}/v1/generation?id=${id}`)).json()) as typeof row;
    expect(row.data).toMatchObject({ cancelled: true, status: 499 });
    // Its own code, not a bad request's.
    expect((await gateway.runtime.ledger.generation(id))?.errorCode).toBe("client_closed");
  });
});
