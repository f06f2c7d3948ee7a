// The `gemini` provider against the fake Gemini API: request shape, replies, streams, usage, errors, aborts.

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { createKit } from "../../core/kit/kit.ts";
import type { ChatRequest, ChatResponse, ContentPart, StreamEvent } from "../../core/kit/canonical.ts";
import type { ProviderInstance } from "../../core/kit/plugin.ts";
import geminiPlugin from "../../plugins/providers/gemini/index.ts";
import { encodeRequest } from "../../plugins/providers/gemini/request.ts";
import { decodeError, decodeResponse, decodeStream } from "../../plugins/providers/gemini/response.ts";
import { FAKE_THOUGHT_SIGNATURE, googleError, startFakeGemini } from "../fakes/gemini.ts";
import { collect as events } from "./results.ts";

const kit = createKit();
const plugin = geminiPlugin(kit);
const fake = startFakeGemini();
afterAll(() => fake.close());
beforeEach(() => (fake.requests.length = 0));

const provider = () => plugin.create({ api_key: "AIza-test", base_url: `${fake.url}/v1beta` }, kit) as ProviderInstance;
const signal = () => new AbortController().signal;

/** The parts Gemini gets for a tool's result: a user's ask, the model's call of `tool`, and `content` as its result. */
async function toolResultParts(ask: string, tool: string, content: ContentPart[]): Promise<unknown[]> {
  const id = `call_0_${tool}`;
  const request: ChatRequest = {
    model: "gemini-3-pro",
    stream: false,
    messages: [
      { role: "user", content: [{ type: "text", text: ask }] },
      { role: "assistant", content: [], toolCalls: [{ id, name: tool, arguments: "{}" }] },
      { role: "tool", toolCallId: id, content },
    ],
  };
  await provider().chat(request, signal());
  return (fake.requests[0]!.body as { contents: { parts: unknown[] }[] }).contents[2]!.parts;
}

const conversation: ChatRequest = {
  model: "gemini-2.5-flash",
  stream: false,
  messages: [
    { role: "system", content: [{ type: "text", text: "Answer briefly." }] },
    { role: "user", content: [{ type: "text", text: "Weather here?" }, { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" } }, { type: "image", source: { kind: "url", url: "https://example.com/sky.jpg" } }] },
    { role: "assistant", content: [], reasoningSignature: "gemini:sig-1", toolCalls: [{ id: "call_0_get_weather", name: "get_weather", arguments: '{"city":"Paris"}' }, { id: "x-2", name: "get_time", arguments: "{}" }] },
    { role: "tool", toolCallId: "call_0_get_weather", content: [{ type: "text", text: '{"temp":21}' }] },
    { role: "tool", toolCallId: "x-2", content: [{ type: "text", text: "clock broken" }], isError: true },
  ],
  tools: [{ name: "get_weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } }, additionalProperties: false } }],
  toolChoice: { name: "get_weather" },
  temperature: 0.2, topP: 0.9, topK: 40, presencePenalty: 0.5, frequencyPenalty: 0.25, maxTokens: 800, stop: ["END"],
  responseFormat: { type: "json_schema", name: "weather", schema: { type: "object" } },
  reasoning: { budgetTokens: 2048 },
};

const toolReply = {
  reasoning: "Paris needs the tool.",
  text: "Looking it up.",
  toolCalls: [{ id: "ignored", name: "get_weather", arguments: '{"city":"Paris"}' }],
  usage: { input: 1210, output: 102, cached: 1024, reasoning: 78 },
};

describe("gemini provider", () => {
  test("settings default base_url to the v1beta API", () => {
    expect(kit.Value.Default(plugin.settings, { api_key: "k" })).toEqual({ api_key: "k", base_url: "https://generativelanguage.googleapis.com/v1beta" });
  });

  test("posts to generateContent with the key header and a Gemini body", async () => {
    await provider().chat(conversation, signal());
    const sent = fake.requests[0]!;
    expect(sent.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(sent.headers["x-goog-api-key"]).toBe("AIza-test");
    // Beside its tools the schema is an instruction (Gemini refuses a JSON mime type there), and
    // Gemini 2.5 takes no penalties.
    expect(sent.body).toMatchObject({
      systemInstruction: { parts: [{ text: "Answer briefly." }, { text: expect.stringContaining('conforms to this JSON Schema (weather):\n{"type":"object"}') }] },
      generationConfig: { temperature: 0.2, topP: 0.9, topK: 40, maxOutputTokens: 800, stopSequences: ["END"], thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } },
      tools: [{ functionDeclarations: [{ name: "get_weather", description: "Current weather" }] }],
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } },
    });
  });

  test("settings reach Gemini as its models take them: a JSON format as its mime type but beside tools, penalties on 2.0 alone, five stop sequences", () => {
    const ask: ChatRequest = { model: "gemini-2.5-flash", stream: false, messages: [{ role: "user", content: [{ type: "text", text: "Weather?" }] }] };
    const config = (request: ChatRequest) => encodeRequest(request, kit).generationConfig as Record<string, unknown>;
    const format = { type: "json_schema" as const, name: "w", schema: { type: "object" } };
    expect(config({ ...ask, responseFormat: format })).toMatchObject({ responseMimeType: "application/json", responseJsonSchema: { type: "object" } });
    const withTools = encodeRequest({ ...ask, responseFormat: format, tools: [{ name: "get_weather", parameters: { type: "object" } }] }, kit);
    expect(withTools.generationConfig).toBeUndefined();
    expect(JSON.stringify(withTools.systemInstruction)).toContain("conforms to this JSON Schema (w)");
    expect(config({ ...ask, presencePenalty: 0.5, frequencyPenalty: 0.2, stop: ["1", "2", "3", "4", "5", "6"] })).toEqual({ stopSequences: ["1", "2", "3", "4", "5"] });
    expect(config({ ...ask, model: "gemini-2.0-flash", presencePenalty: 0.5 })).toEqual({ presencePenalty: 0.5 });
  });

  test("an effort of none stops the thinking where the model can stop, and xhigh thinks the most the model can", () => {
    const thinking = (model: string, reasoning: ChatRequest["reasoning"]) =>
      (encodeRequest({ model, stream: false, messages: [{ role: "user", content: [{ type: "text", text: "Sum 2 and 2." }] }], reasoning }, kit).generationConfig as Record<string, unknown> | undefined)?.thinkingConfig;
    expect(thinking("gemini-2.5-flash", { effort: "none" })).toEqual({ thinkingBudget: 0 });
    // The Pro models think always, and refuse a budget of 0.
    expect(thinking("gemini-2.5-pro", { effort: "none" })).toBeUndefined();
    expect(thinking("gemini-2.5-flash", { effort: "xhigh" })).toEqual({ thinkingBudget: 24576, includeThoughts: true });
    expect(thinking("gemini-2.5-pro", { effort: "xhigh" })).toEqual({ thinkingBudget: 32768, includeThoughts: true });
  });

  test("encodes images, function calls with their signature, and maps tool results back by name", async () => {
    await provider().chat(conversation, signal());
    const contents = (fake.requests[0]!.body as { contents: { role: string; parts: unknown[] }[] }).contents;
    expect(contents.map((c) => c.role)).toEqual(["user", "model", "user"]);
    expect(contents[0]!.parts.slice(1)).toEqual([{ inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }, { fileData: { mimeType: "image/jpeg", fileUri: "https://example.com/sky.jpg" } }]);
    expect(contents[1]!.parts[0]).toEqual({ functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "sig-1" });
    expect(contents[2]!.parts).toEqual([
      { functionResponse: { name: "get_weather", response: { temp: 21 } } },
      { functionResponse: { name: "get_time", response: { error: "clock broken" } } },
    ]);
  });

  test("documents go as inline data, a file URI or text, what the client said about one after it", async () => {
    const request: ChatRequest = {
      model: "gemini-2.5-flash",
      stream: false,
      messages: [{
        role: "user",
        content: [
          { type: "text", text: "Compare these." },
          { type: "document", source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0xLjc=" }, title: "q3.pdf", context: "The third quarter's report." },
          { type: "document", source: { kind: "url", url: "https://example.com/q4.pdf" } },
          { type: "document", source: { kind: "text", text: "Revenue rose." }, title: "Notes" },
        ],
      }],
    };
    await provider().chat(request, signal());
    const contents = (fake.requests[0]!.body as { contents: { parts: unknown[] }[] }).contents;
    expect(contents[0]!.parts).toEqual([
      { text: "Compare these." },
      { inlineData: { mimeType: "application/pdf", data: "JVBERi0xLjc=" } },
      { text: "The third quarter's report." },
      { fileData: { mimeType: "application/pdf", fileUri: "https://example.com/q4.pdf" } },
      { text: "Notes\n\nRevenue rose." },
    ]);
  });

  test("a tool result's images and documents go as its function response's own parts, not dropped", async () => {
    const parts = await toolResultParts("Screenshot the page.", "screenshot", [
      { type: "text", text: "Taken." },
      { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" } },
      { type: "document", source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" }, context: "The page as printed." },
    ]);
    expect(parts).toEqual([{
      functionResponse: {
        name: "screenshot",
        response: { output: "Taken.\n\nThe page as printed." },
        parts: [{ inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }, { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } }],
      },
    }]);
  });

  test("a tool result's text document keeps its title, as a turn's does", async () => {
    const parts = await toolResultParts("Read the notes.", "read", [{ type: "document", source: { kind: "text", text: "Revenue rose." }, title: "Notes" }]);
    expect(parts).toEqual([{ functionResponse: { name: "read", response: { output: "Notes\n\nRevenue rose." } } }]);
  });

  test("countTokens posts the whole request to countTokens, its model named as a resource, and reads totalTokens", async () => {
    fake.enqueue({ kind: "reply", reply: { usage: { input: 1210, output: 0 } } });
    expect(await provider().countTokens!(conversation, signal())).toBe(1210);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe("/v1beta/models/gemini-2.5-flash:countTokens");
    const body = sent.body as { generateContentRequest: Record<string, unknown> };
    expect(body.generateContentRequest.model).toBe("models/gemini-2.5-flash");
    expect(body.generateContentRequest.contents).toEqual((JSON.parse(JSON.stringify(encodeRequest(conversation, kit))) as { contents: unknown }).contents);
  });

  test("a turn Gemini did not sign goes back with the documented bypass signature, never another vendor's", async () => {
    const turn = (reasoningSignature?: string): ChatRequest => ({
      model: "gemini-3-pro",
      stream: false,
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather?" }] },
        { role: "assistant", content: [], ...(reasoningSignature !== undefined ? { reasoningSignature } : {}), toolCalls: [{ id: "c1", name: "get_weather", arguments: "{}" }, { id: "c2", name: "get_time", arguments: "{}" }] },
        { role: "tool", toolCallId: "c1", content: [{ type: "text", text: "21" }] },
        { role: "tool", toolCallId: "c2", content: [{ type: "text", text: "noon" }] },
      ],
    });
    // An OpenAI client keeps no signature; Anthropic's is bare base64; Gemini's own comes back marked.
    for (const [signature, sent] of [[undefined, "skip_thought_signature_validator"], ["EqQBCkgIARABGAIiQAnthropicSig", "skip_thought_signature_validator"], [`gemini:${FAKE_THOUGHT_SIGNATURE}`, FAKE_THOUGHT_SIGNATURE]] as const) {
      fake.requests.length = 0;
      await provider().chat(turn(signature), signal());
      const parts = (fake.requests[0]!.body as { contents: { parts: { thoughtSignature?: string }[] }[] }).contents[1]!.parts;
      // The first call of the turn carries it; a parallel call after it has none of its own.
      expect(parts.map((part) => part.thoughtSignature)).toEqual([sent, undefined]);
    }
  });

  test("another dialect's empty answer in the history is left out, and the user turns around it merge", () => {
    const text = (value: string) => [{ type: "text" as const, text: value }];
    const body = encodeRequest({
      model: "gemini-2.5-flash",
      stream: false,
      messages: [{ role: "user", content: text("hi") }, { role: "assistant", content: text("") }, { role: "user", content: text("again") }],
    }, kit);
    expect(body.contents).toEqual([{ role: "user", parts: [{ text: "hi" }, { text: "again" }] }]);
  });

  test("a reply decodes thoughts, text, a tool call with a synthesized id, and usage with thoughts in output", async () => {
    fake.enqueue({ kind: "reply", reply: toolReply });
    const response = (await provider().chat(conversation, signal())) as ChatResponse;
    expect(response).toMatchObject({
      text: "Looking it up.",
      reasoning: "Paris needs the tool.",
      reasoningSignature: `gemini:${FAKE_THOUGHT_SIGNATURE}`,
      toolCalls: [{ id: expect.stringMatching(/^call_[a-z0-9]{6}0_get_weather$/), name: "get_weather", arguments: '{"city":"Paris"}' }],
      finishReason: "tool_calls",
      nativeFinishReason: "STOP",
      usage: { inputTokens: 1210, outputTokens: 102, cachedInputTokens: 1024, reasoningTokens: 78 },
    });
  });

  test("a stream uses streamGenerateContent with alt=sse and yields every event kind", async () => {
    fake.enqueue({ kind: "reply", reply: toolReply });
    const list = await events(await provider().chat({ ...conversation, stream: true }, signal()));
    expect(fake.requests[0]!.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    expect(fake.requests[0]!.search).toBe("?alt=sse");
    expect(list[0]).toMatchObject({ type: "start", model: "gemini-2.5-flash" });
    expect(list.filter((e) => e.type === "text").map((e) => (e as { text: string }).text).join("")).toBe("Looking it up.");
    expect(list.filter((e) => e.type === "reasoning")[0]).toEqual({ type: "reasoning", text: "Paris needs the tool." });
    expect(list.filter((e) => e.type.startsWith("tool_call"))).toEqual([
      { type: "tool_call_start", index: 0, id: expect.stringMatching(/^call_[a-z0-9]{6}0_get_weather$/), name: "get_weather" },
      { type: "tool_call_delta", index: 0, arguments: '{"city":"Paris"}' },
    ]);
    expect(list.slice(-2)).toEqual([
      { type: "usage", usage: { inputTokens: 1210, outputTokens: 102, cachedInputTokens: 1024, reasoningTokens: 78 } },
      { type: "finish", reason: "tool_calls", native: "STOP" },
    ]);
  });

  test("two answers calling the same function give their calls different ids, and a result still maps back to it by name", async () => {
    fake.enqueue({ kind: "reply", reply: toolReply }, { kind: "reply", reply: toolReply });
    const first = ((await provider().chat(conversation, signal())) as ChatResponse).toolCalls[0]!.id;
    const second = ((await provider().chat(conversation, signal())) as ChatResponse).toolCalls[0]!.id;
    expect(first).not.toBe(second);
    const result = encodeRequest({ model: "gemini-2.5-flash", stream: false, messages: [{ role: "tool", toolCallId: second, content: [{ type: "text", text: "{}" }] }] }, kit);
    expect((result.contents as { parts: { functionResponse: { name: string } }[] }[])[0]!.parts[0]!.functionResponse.name).toBe("get_weather");
  });

  test("with parallel calls turned off, which Gemini cannot be told, only an answer's first call is passed on, JSON and stream", async () => {
    const two = { toolCalls: [{ id: "a", name: "get_weather", arguments: '{"city":"Paris"}' }, { id: "b", name: "get_time", arguments: "{}" }] };
    fake.enqueue({ kind: "reply", reply: two }, { kind: "reply", reply: two }, { kind: "reply", reply: two });
    const one = { ...conversation, parallelToolCalls: false };
    expect(((await provider().chat(one, signal())) as ChatResponse).toolCalls.map((call) => call.name)).toEqual(["get_weather"]);
    const streamed = await events(await provider().chat({ ...one, stream: true }, signal()));
    expect(streamed.filter((e) => e.type === "tool_call_start").map((e) => (e as { name: string }).name)).toEqual(["get_weather"]);
    expect(((await provider().chat(conversation, signal())) as ChatResponse).toolCalls).toHaveLength(2);
  });

  test("MAX_TOKENS and SAFETY map to length and content_filter", async () => {
    fake.enqueue({ kind: "reply", reply: { text: "cut", finish: "length" } }, { kind: "reply", reply: { text: "", finish: "content_filter" } });
    expect(((await provider().chat(conversation, signal())) as ChatResponse).finishReason).toBe("length");
    expect(((await provider().chat(conversation, signal())) as ChatResponse).finishReason).toBe("content_filter");
  });

  test("a blocked prompt is content_filter; a reply with no candidate and no block reason is a retryable error", () => {
    const usageMetadata = { promptTokenCount: 12, totalTokenCount: 12 };
    const blocked = decodeResponse({ promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata }, "gemini-2.5-flash", kit);
    expect(blocked).toMatchObject({ text: "", finishReason: "content_filter", nativeFinishReason: "PROHIBITED_CONTENT", usage: { inputTokens: 12 } });
    expect(() => decodeResponse({ usageMetadata }, "gemini-2.5-flash", kit)).toThrow(expect.objectContaining({ code: "upstream_error", retryable: true }));
  });

  test("429 RESOURCE_EXHAUSTED becomes rate_limited with the RetryInfo delay", async () => {
    const body = await Bun.file(new URL("../fixtures/gemini/error-429.json", import.meta.url)).json();
    fake.enqueue({ kind: "error", status: 429, body });
    const error = await provider().chat(conversation, signal()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 34000, retryable: true, metadata: { type: "RESOURCE_EXHAUSTED" } });
  });

  test("a key Google does not take, or a region it does not serve, is the account's failure, which another candidate may not share", () => {
    const invalidKey = [{ error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT", details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" }] } }];
    const location = { error: { code: 400, message: "User location is not supported for the API use.", status: "FAILED_PRECONDITION" } };
    for (const body of [invalidKey, location]) {
      const error = decodeError(400, body, new Headers(), kit);
      expect([error.code, error.retryable]).toEqual(["upstream_error", true]);
    }
    // A request Google finds malformed stays the client's: a 400, final.
    const malformed = decodeError(400, { error: { code: 400, message: "Invalid JSON payload received.", status: "INVALID_ARGUMENT" } }, new Headers(), kit);
    expect([malformed.code, malformed.retryable]).toEqual(["bad_request", false]);
  });

  test("a retry-after header wins over RetryInfo", async () => {
    fake.enqueue({ kind: "error", status: 429, body: googleError(429, "slow down", "RESOURCE_EXHAUSTED"), headers: { "retry-after": "3" } });
    const error = await provider().chat(conversation, signal()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 3000 });
  });

  test("503 UNAVAILABLE is a retryable upstream error and too many input tokens is context_length_exceeded", async () => {
    const context = await Bun.file(new URL("../fixtures/gemini/error-context.json", import.meta.url)).json();
    fake.enqueue({ kind: "error", status: 503, body: googleError(503, "The model is overloaded.", "UNAVAILABLE") }, { kind: "error", status: 400, body: context });
    expect(await provider().chat(conversation, signal()).catch((e: unknown) => e)).toMatchObject({ code: "upstream_error", retryable: true, upstreamStatus: 503 });
    expect(await provider().chat(conversation, signal()).catch((e: unknown) => e)).toMatchObject({ code: "context_length_exceeded" });
  });

  test("aborting a stream closes the upstream connection", async () => {
    fake.enqueue({ kind: "stall", reply: { text: "a long answer" }, afterFrames: 1 });
    const controller = new AbortController();
    const iterator = ((await provider().chat({ ...conversation, stream: true }, controller.signal)) as AsyncIterable<StreamEvent>)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: "start" });
    const before = fake.aborted;
    const aborted = fake.nextAbort();
    controller.abort();
    await aborted;
    expect(fake.aborted).toBe(before + 1);
  });

  test("each frame's counts so far are passed on as they come, so a stream stopped short is metered by its prompt's count", async () => {
    const frame = (text: string, usage: object, finish?: string) =>
      `data: ${JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text }] }, ...(finish ? { finishReason: finish } : {}) }], usageMetadata: usage })}\r\n\r\n`;
    const body = frame("Hel", { promptTokenCount: 9000, totalTokenCount: 9000 }) + frame("lo", { promptTokenCount: 9000, candidatesTokenCount: 2, totalTokenCount: 9002 }, "STOP");
    const list = await events(decodeStream(new Response(body).body!, "gemini-2.5-flash", kit));
    expect(list.filter((e) => e.type === "usage")).toEqual([
      { type: "usage", usage: { inputTokens: 9000, outputTokens: 0 } },
      { type: "usage", usage: { inputTokens: 9000, outputTokens: 2 } },
    ]);
  });

  test("what Gemini says of a failure is kept: a failed call with no answer is retryable, a blocked prompt a content filter, an error frame Google's error", async () => {
    const stream = (...frames: object[]) => events(decodeStream(new Response(frames.map((f) => `data: ${JSON.stringify(f)}\r\n\r\n`).join("")).body!, "gemini-2.5-flash", kit));
    const failedCall = { candidates: [{ content: { role: "model", parts: [] }, finishReason: "MALFORMED_FUNCTION_CALL", finishMessage: "Malformed function call" }] };
    await expect(stream(failedCall)).rejects.toMatchObject({ code: "upstream_error", retryable: true, message: "Gemini ended with MALFORMED_FUNCTION_CALL and no answer" });
    expect(() => decodeResponse(failedCall, "gemini-2.5-flash", kit)).toThrow("Gemini ended with MALFORMED_FUNCTION_CALL and no answer");
    const blocked = await stream({ promptFeedback: { blockReason: "OTHER" }, usageMetadata: { promptTokenCount: 7 } });
    expect(blocked.at(-1)).toEqual({ type: "finish", reason: "content_filter", native: "OTHER" });
    const broken = stream({ candidates: [{ content: { role: "model", parts: [{ text: "Half" }] } }] }, { error: { code: 500, message: "Internal error encountered.", status: "INTERNAL" } });
    await expect(broken).rejects.toMatchObject({ message: "Internal error encountered." });
  });

  test("Google's own stops are no clean stop: OTHER and LANGUAGE are errors, too many tool calls a cut answer", () => {
    const finish = (finishReason: string) => decodeResponse({ candidates: [{ content: { parts: [{ text: "part" }] }, finishReason }] } as never, "gemini-2.5-flash", kit).finishReason;
    expect([finish("OTHER"), finish("LANGUAGE"), finish("TOO_MANY_TOOL_CALLS"), finish("IMAGE_PROHIBITED_CONTENT"), finish("STOP")]).toEqual(["error", "error", "length", "content_filter", "stop"]);
  });

  test("a stream keeps the thought signature Gemini 3 puts on a text part, an empty last one too, as the JSON answer does", async () => {
    const frames = [
      { candidates: [{ content: { role: "model", parts: [{ text: "The answer" }] } }] },
      { candidates: [{ content: { role: "model", parts: [{ text: "", thoughtSignature: "c2lnbmVk" }] }, finishReason: "STOP" }] },
    ];
    const list = await events(decodeStream(new Response(frames.map((f) => `data: ${JSON.stringify(f)}\r\n\r\n`).join("")).body!, "gemini-3-pro", kit));
    expect(list.filter((event) => event.type === "text" || event.type === "reasoning")).toEqual([
      { type: "text", text: "The answer" },
      { type: "reasoning", text: "", signature: "gemini:c2lnbmVk" },
    ]);
    const whole = decodeResponse({ candidates: [{ content: { parts: [{ text: "The answer" }, { text: "", thoughtSignature: "c2lnbmVk" }] }, finishReason: "STOP" }] } as never, "gemini-3-pro", kit);
    expect(whole.reasoningSignature).toBe("gemini:c2lnbmVk");
  });

  test("Google's error in a list of one, and the prompt of its own tools counted as input", () => {
    const error = decodeError(429, [{ error: { code: 429, message: "Resource exhausted.", status: "RESOURCE_EXHAUSTED", details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "7s" }] } }], new Headers(), kit);
    expect(error).toMatchObject({ message: "Resource exhausted.", retryAfterMs: 7000 });
    const usage = decodeResponse({ candidates: [{ content: { parts: [{ text: "ok" }] }, finishReason: "STOP" }], usageMetadata: { promptTokenCount: 1000, toolUsePromptTokenCount: 5000, candidatesTokenCount: 2 } } as never, "m", kit).usage;
    expect(usage).toEqual({ inputTokens: 6000, outputTokens: 2 });
  });

  test("a stream that ends before a finish reason throws", async () => {
    const frames = (await Bun.file(new URL("../fixtures/gemini/stream.sse", import.meta.url)).text()).split("\r\n\r\n").slice(0, 2).join("\r\n\r\n");
    const run = events(decodeStream(new Response(frames).body!, "gemini-2.5-flash", kit));
    await expect(run).rejects.toMatchObject({ code: "upstream_error", retryable: true });
  });
});
