// OpenAI's Responses API at the gateway, driven by the official `openai` SDK's `responses` client,
// in front of fake OpenAI (Chat Completions) and Anthropic vendors.

import { describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { encodeResponse, StreamEncoder } from "../../core/wire/responses/index.ts";
import { vendorSuite } from "./configs.ts";
import { generation, openaiClient, postJson } from "./harness.ts";

const { openaiFake, anthropicFake, gateway } = await vendorSuite();
const client = openaiClient(gateway);

const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "The weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

describe("Responses API clients", () => {
  test("a response carries the answer as a message item, with usage, cost and the gateway's headers", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "Paris.", usage: { input: 12, output: 3, cached: 2 } } });
    const { data, response } = await client.responses
      .create({ model: "gpt-5-mini", instructions: "Answer in one word.", input: "Capital of France?", max_output_tokens: 50 })
      .withResponse();
    expect(data.object).toBe("response");
    expect(data.status).toBe("completed");
    expect(data.output_text).toBe("Paris.");
    expect(data.output).toEqual([
      { type: "message", id: `msg_${data.id}_0`, status: "completed", role: "assistant", content: [{ type: "output_text", text: "Paris.", annotations: [], logprobs: [] }] },
    ]);
    expect(data.usage).toMatchObject({ input_tokens: 12, input_tokens_details: { cached_tokens: 2 }, output_tokens: 3, total_tokens: 15 });
    expect((data.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
    // The settings the SDK types as always there are repeated, as OpenAI repeats them.
    expect(data).toMatchObject({ instructions: "Answer in one word.", max_output_tokens: 50, tools: [], tool_choice: "auto", parallel_tool_calls: true, temperature: 1, top_p: 1, metadata: {}, store: false });
    expect(response.headers.get("x-request-id")).toBe(data.id);
    expect(response.headers.get("x-switchyard-provider")).toBe("openai");
    // The vendor gets a Chat Completions body: the instructions as the system message, the cap as its own.
    const sent = openaiFake.requests.at(-1)!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.body).toMatchObject({
      model: "gpt-5-mini",
      messages: [
        { role: "system", content: "Answer in one word." },
        { role: "user", content: "Capital of France?" },
      ],
      max_completion_tokens: 50,
    });
    expect((await generation(gateway, data.id)).tokens_prompt).toBe(12);
  });

  test("a function call comes back as an item, and its output goes back in the next turn's input", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "call_7", name: "get_weather", arguments: '{"city":"Oslo"}' }] } });
    const first = await client.responses.create({ model: "gpt-5-mini", input: "Weather in Oslo?", tools: [weatherTool] });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", call_id: "call_7", name: "get_weather", arguments: '{"city":"Oslo"}', status: "completed" });
    expect((openaiFake.requests.at(-1)!.body as { tools: unknown[] }).tools).toEqual([
      { type: "function", function: { name: "get_weather", description: "The weather in a city", parameters: weatherTool.parameters, strict: false } },
    ]);

    // The next turn in Anthropic's hands: the conversation as items becomes Messages content blocks.
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Cold: -3 °C." } });
    const second = await client.responses.create({
      model: "claude-sonnet",
      tools: [weatherTool],
      input: [
        { role: "user", content: "Weather in Oslo?" },
        { type: "function_call", call_id: "call_7", name: "get_weather", arguments: '{"city":"Oslo"}' },
        { type: "function_call_output", call_id: "call_7", output: '{"temp":-3}' },
      ],
    });
    expect(second.output_text).toBe("Cold: -3 °C.");
    const messages = (anthropicFake.requests.at(-1)!.body as { messages: { role: string; content: unknown[] }[] }).messages;
    expect(messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Oslo?" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "call_7", name: "get_weather", input: { city: "Oslo" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_7", content: '{"temp":-3}' }] },
    ]);
  });

  test("a streamed response arrives as numbered semantic events, and the SDK's stream assembles it", async () => {
    anthropicFake.enqueue({ kind: "reply", reply: { reasoning: "Short question.", text: "one two three", usage: { input: 9, output: 6 } } });
    const stream = client.responses.stream({ model: "claude-sonnet", input: "Count to three" });
    const events: ResponseStreamEvent[] = [];
    stream.on("event", (event) => events.push(event));
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe("one two three");
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(final.output[0]).toMatchObject({ content: [{ type: "reasoning_text", text: "Short question." }] });
    expect(final.usage).toMatchObject({ input_tokens: 9, output_tokens: 6 });
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, at) => at));
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(["response.created", "response.in_progress"]);
    expect(types.at(-1)).toBe("response.completed");
    expect(types).toContain("response.reasoning_text.delta");
    const deltas = events.filter((event) => event.type === "response.output_text.delta").map((event) => event.delta);
    expect(deltas.join("")).toBe("one two three");
    // Each item is added before its deltas and done after them.
    const message = final.output[1]!;
    const about = (type: string) => events.findIndex((event) => event.type === type && "item" in event && event.item.id === message.id);
    expect(about("response.output_item.added")).toBeLessThan(types.indexOf("response.output_text.delta"));
    expect(about("response.output_item.done")).toBeGreaterThan(types.lastIndexOf("response.output_text.delta"));
  });

  test("a streamed function call's arguments arrive as deltas, the item done with them whole", async () => {
    // In one read, as a fast vendor's short answer arrives: the gateway sends the events as one body.
    openaiFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "call_9", name: "get_weather", arguments: '{"city":"Lima"}' }] }, inOneRead: true });
    const stream = await client.responses.create({ model: "gpt-5-mini", input: "Weather in Lima?", tools: [weatherTool], stream: true });
    let args = "";
    let done: OpenAI.Responses.ResponseOutputItem | undefined;
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === "response.function_call_arguments.delta") args += event.delta;
      if (event.type === "response.output_item.done") done = event.item;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(args).toBe('{"city":"Lima"}');
    expect(done).toMatchObject({ type: "function_call", call_id: "call_9", name: "get_weather", arguments: '{"city":"Lima"}', status: "completed" });
    expect(completed?.output).toEqual([done!]);
  });

  test("a freeform tool, as Codex's apply_patch, reaches Anthropic as a function of one string and its call comes back as text", async () => {
    const applyPatch = { type: "custom" as const, name: "apply_patch", description: "Edit files", format: { type: "grammar" as const, syntax: "lark" as const, definition: "start: begin_patch hunk+ end_patch" } };
    const patch = "*** Begin Patch\n*** Delete File: old.txt\n*** End Patch";
    for (const stream of [false, true]) {
      anthropicFake.enqueue({ kind: "reply", reply: { toolCalls: [{ id: "toolu_p", name: "apply_patch", arguments: JSON.stringify({ input: patch }) }] } });
      const ask = { role: "user" as const, content: "Delete old.txt" };
      const first = stream
        ? await client.responses.stream({ model: "claude-sonnet", input: [ask], tools: [applyPatch] }).finalResponse()
        : await client.responses.create({ model: "claude-sonnet", input: [ask], tools: [applyPatch] });
      const tool = (anthropicFake.requests.at(-1)!.body as { tools: { name: string; input_schema: { properties: { input: { description: string } } } }[] }).tools[0]!;
      expect(tool.name).toBe("apply_patch");
      expect(tool.input_schema.properties.input.description).toContain("start: begin_patch hunk+ end_patch");
      expect(first.output).toEqual([{ type: "custom_tool_call", id: `ctc_${first.id}_0`, call_id: "toolu_p", name: "apply_patch", input: patch }]);
    }
    anthropicFake.enqueue({ kind: "reply", reply: { text: "Deleted." } });
    await client.responses.create({
      model: "claude-sonnet",
      tools: [applyPatch],
      input: [{ role: "user", content: "Delete old.txt" }, { type: "custom_tool_call", call_id: "toolu_p", name: "apply_patch", input: patch }, { type: "custom_tool_call_output", call_id: "toolu_p", output: "Done" }],
    });
    const messages = (anthropicFake.requests.at(-1)!.body as { messages: { content: unknown[] }[] }).messages;
    expect(messages[1]!.content).toEqual([{ type: "tool_use", id: "toolu_p", name: "apply_patch", input: { input: patch } }]);
    expect(messages[2]!.content).toEqual([{ type: "tool_result", tool_use_id: "toolu_p", content: "Done" }]);
  });

  test("an answer cut at its token cap is incomplete, and says why", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "It was a dark and", finish: "length" } });
    const cut = await client.responses.create({ model: "gpt-5-mini", input: "Tell a story", max_output_tokens: 5 });
    expect(cut.status).toBe("incomplete");
    expect(cut.incomplete_details).toEqual({ reason: "max_output_tokens" });
    openaiFake.enqueue({ kind: "reply", reply: { text: "It was a dark and", finish: "length" } });
    const stream = await client.responses.create({ model: "gpt-5-mini", input: "Tell a story", max_output_tokens: 5, stream: true });
    const last: ResponseStreamEvent[] = [];
    for await (const event of stream) last.push(event);
    expect(last.at(-1)).toMatchObject({ type: "response.incomplete", response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } } });
    // The call the cut fell on is incomplete too: its arguments are no call to run.
    const cutCall = { toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Li' }], finish: "length" as const };
    openaiFake.enqueue({ kind: "reply", reply: cutCall }, { kind: "reply", reply: cutCall });
    const called = await client.responses.create({ model: "gpt-5-mini", input: "Weather?", tools: [weatherTool], max_output_tokens: 5 });
    expect(called.output.at(-1)).toMatchObject({ type: "function_call", status: "incomplete" });
    const streamed = await client.responses.create({ model: "gpt-5-mini", input: "Weather?", tools: [weatherTool], max_output_tokens: 5, stream: true });
    const done: ResponseStreamEvent[] = [];
    for await (const event of streamed) if (event.type === "response.output_item.done") done.push(event);
    expect(done.at(-1)).toMatchObject({ item: { type: "function_call", status: "incomplete" } });
  });

  test("an answer the vendor ended with an error of its own (Gemini's malformed call) is failed, not completed and empty", () => {
    const info = { id: "gen-1", model: "gemini", created: 0 };
    const ended = encodeResponse({ id: "x", model: "m", created: 0, text: "", toolCalls: [], finishReason: "error", nativeFinishReason: "MALFORMED_FUNCTION_CALL" }, info);
    expect(ended).toMatchObject({ status: "failed", error: { code: "server_error", message: "the vendor ended the answer with an error (MALFORMED_FUNCTION_CALL)" } });
    const stream = new StreamEncoder({ ...info, includeUsage: true, request: { model: "gemini", stream: true, messages: [] } } as never);
    stream.encode({ type: "finish", reason: "error", native: "MALFORMED_FUNCTION_CALL" });
    expect(stream.end(undefined)).toContain('"type":"response.failed"');
  });

  test("what a stateless gateway cannot serve is a 400 naming it, before any vendor is called", async () => {
    const before = openaiFake.requests.length;
    const refusals: [Record<string, unknown>, string][] = [
      [{ previous_response_id: "resp_1" }, "`previous_response_id`"],
      [{ background: true }, "`background`"],
      [{ tools: [{ type: "web_search" }] }, "`tools.0.type`"],
      [{ input: [{ type: "item_reference", id: "msg_1" }] }, "`input.0.type`"],
      [{ input: [{ role: "user", content: [{ type: "input_file", file_id: "file-1" }] }] }, "`input.0.content.0.file_id`"],
      [{ service_tier: "priority" }, "`service_tier`"],
    ];
    for (const [extra, field] of refusals) {
      const refused = await client.responses.create({ model: "gpt-5-mini", input: "hi", ...extra } as never).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect((refused as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(field);
    }
    expect(openaiFake.requests.length).toBe(before);
  });

  test("a vendor failure mid-stream ends the stream with response.failed, then an error event the SDK throws", async () => {
    openaiFake.enqueue({ kind: "break", reply: { text: "one two three four five" }, afterFrames: 2 });
    const stream = await client.responses.create({ model: "gpt-5-mini", input: "Count", stream: true });
    const seen: OpenAI.Responses.ResponseStreamEvent[] = [];
    const failure = await (async () => {
      for await (const event of stream) seen.push(event);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const types = seen.map((event) => event.type);
    expect(types[0]).toBe("response.created");
    expect(types).not.toContain("response.completed");
    // Codex and other clients that read the response's own end see it failed, with why and what came.
    const failed = seen.at(-1);
    if (failed?.type !== "response.failed") throw new Error(`last event ${failed?.type}`);
    expect(failed.response.status).toBe("failed");
    expect(failed.response.error?.code).toBe("server_error");
    expect(failed.response.error?.message).toBeTruthy();
    expect(failed.response.id).toBe(seen[0]!.type === "response.created" ? seen[0]!.response.id : "");
  });

  test("is served under /api/v1 too, and an unknown model is a 404 in OpenAI's shape", async () => {
    openaiFake.enqueue({ kind: "reply", reply: { text: "via /api/v1" } });
    const routed = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: "unused", maxRetries: 0 });
    expect((await routed.responses.create({ model: "gpt-5-mini", input: "hi" })).output_text).toBe("via /api/v1");
    const response = await postJson(`${gateway.url}/v1/responses`, { model: "no-such-model", input: "hi" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("no-such-model");
  });
});
