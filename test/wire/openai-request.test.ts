// Round trips and decoding rules of Chat Completions request bodies.

import { describe, expect, test } from "bun:test";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { ChatRequest } from "../../core/kit/canonical.ts";
import { ChatCompletionBody, decodeRequest, encodeRequest, OPENAI_FIELDS } from "../../core/wire/openai/index.ts";
import { encodeUpstreamRequest } from "../../core/wire/responses/index.ts";

const check = TypeCompiler.Compile(ChatCompletionBody);

const codingTurn: ChatRequest = {
  model: "gpt-5-mini",
  stream: true,
  messages: [
    { role: "system", content: [{ type: "text", text: "You review pull requests." }] },
    { role: "system", developer: true, content: [{ type: "text", text: "Prefer small diffs." }] },
    {
      role: "user",
      name: "dana",
      content: [
        { type: "text", text: "What is in these screenshots?", cacheControl: { ttl: "1h" } },
        { type: "image", source: { kind: "url", url: "https://example.com/build.png" }, detail: "high" },
        { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" } },
      ],
    },
    {
      role: "assistant",
      content: [],
      reasoning: "The user wants the build log read.",
      toolCalls: [{ id: "call_1", name: "read_file", arguments: '{"path":"build.log"}' }],
    },
    { role: "tool", toolCallId: "call_1", content: [{ type: "text", text: "error: missing semicolon" }] },
  ],
  tools: [
    { name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } }, strict: true },
  ],
  toolChoice: { name: "read_file" },
  parallelToolCalls: false,
  responseFormat: { type: "json_schema", name: "answer", schema: { type: "object" }, strict: true, description: "The answer" },
  temperature: 0.2,
  topP: 0.9,
  topK: 40,
  presencePenalty: 0.5,
  frequencyPenalty: -0.25,
  maxTokens: 2048,
  stop: ["</done>"],
  seed: 7,
  user: "user-42",
  reasoning: { effort: "high", budgetTokens: 4000 },
};

function roundTrip(request: ChatRequest): ChatRequest {
  const body = JSON.parse(JSON.stringify(encodeRequest(request, { reasoningField: "reasoning_content" })));
  expect(check.Check(body)).toBe(true);
  return decodeRequest(body).request;
}

describe("OpenAI request codec", () => {
  test("a request with tools, images, json_schema and reasoning survives encode then decode", () => {
    expect(roundTrip(codingTurn)).toEqual(codingTurn);
  });

  test("a minimal non-streaming request survives encode then decode", () => {
    const request: ChatRequest = { model: "gpt-4o-mini", stream: false, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] };
    expect(roundTrip(request)).toEqual(request);
  });

  test("tool_choice strings and json_object formats survive encode then decode", () => {
    const request: ChatRequest = { ...codingTurn, toolChoice: "required", responseFormat: { type: "json_object" } };
    expect(roundTrip(request)).toEqual(request);
  });

  test("string content and a string stop become canonical parts and lists", () => {
    const { request } = decodeRequest({ model: "m", messages: [{ role: "user", content: "Hello" }], stop: "END" });
    expect(request.messages).toEqual([{ role: "user", content: [{ type: "text", text: "Hello" }] }]);
    expect(request.stop).toEqual(["END"]);
    expect(request.stream).toBe(false);
  });

  test("a tool id longer than OpenAI's 40 characters goes shortened alike at the call and its result; a fitting one as it is", () => {
    const long = "call_0_mcp__github__create_pull_request_review_comment";
    const request: ChatRequest = {
      model: "gpt-5",
      stream: false,
      messages: [
        { role: "user", content: [{ type: "text", text: "Review it." }] },
        { role: "assistant", content: [], toolCalls: [{ id: long, name: "review", arguments: "{}" }, { id: "call_abc", name: "review", arguments: "{}" }] },
        { role: "tool", toolCallId: long, content: [{ type: "text", text: "done" }] },
        { role: "tool", toolCallId: "call_abc", content: [{ type: "text", text: "done" }] },
      ],
    };
    const messages = (encodeRequest(request) as { messages: { tool_calls?: { id: string }[]; tool_call_id?: string }[] }).messages;
    const [shortened, kept] = messages[1]!.tool_calls!.map((call) => call.id);
    expect(shortened!.length).toBe(40);
    expect(shortened).toStartWith("call_0_mcp__github__create_pull_");
    expect([messages[2]!.tool_call_id, messages[3]!.tool_call_id]).toEqual([shortened, "call_abc"]);
    expect(kept).toBe("call_abc");
  });

  test("a tool result's images and files follow the run of tool messages in a user message; the tool messages keep their text", () => {
    const png = { type: "image" as const, source: { kind: "base64" as const, mediaType: "image/png", data: "iVBORw0KGgo=" } };
    const pdf = { type: "document" as const, source: { kind: "base64" as const, mediaType: "application/pdf", data: "JVBERi0=" }, name: "report.pdf" };
    const request: ChatRequest = {
      model: "gpt-5",
      stream: false,
      messages: [
        { role: "user", content: [{ type: "text", text: "Look at both." }] },
        { role: "assistant", content: [], toolCalls: [{ id: "c1", name: "screenshot", arguments: "{}" }, { id: "c2", name: "read", arguments: "{}" }] },
        { role: "tool", toolCallId: "c1", content: [{ type: "text", text: "the login page" }, png] },
        { role: "tool", toolCallId: "c2", content: [pdf] },
        { role: "user", content: [{ type: "text", text: "What is wrong?" }] },
      ],
    };
    const messages = (encodeRequest(request) as { messages: { role: string; content: unknown }[] }).messages;
    expect(messages.map((message) => message.role)).toEqual(["user", "assistant", "tool", "tool", "user", "user"]);
    expect(messages[2]!.content).toEqual([{ type: "text", text: "the login page" }]);
    expect(messages[3]!.content).toBe("(the result is attached in the next message)");
    const attached = messages[4]!.content as { type: string }[];
    expect(attached.map((part) => part.type)).toEqual(["text", "image_url", "file"]);
    expect(messages[5]!.content).toBe("What is wrong?");
  });

  test("an answer that said nothing (only thinking) is left out rather than sent with null content", () => {
    const request: ChatRequest = {
      model: "gpt-5",
      stream: false,
      messages: [
        { role: "user", content: [{ type: "text", text: "Think first." }] },
        { role: "assistant", content: [], reasoning: "Hmm.", reasoningSignature: "sig" },
        { role: "user", content: [{ type: "text", text: "Now answer." }] },
      ],
    };
    const messages = (encodeRequest(request) as { messages: { role: string }[] }).messages;
    expect(messages.map((message) => message.role)).toEqual(["user", "user"]);
  });

  test("max_completion_tokens wins over max_tokens", () => {
    const { request } = decodeRequest({ model: "m", messages: [], max_tokens: 100, max_completion_tokens: 500 });
    expect(request.maxTokens).toBe(500);
  });

  test("OpenRouter extras are decoded: models, provider preferences, reasoning and usage.include", () => {
    const provider = { order: ["anthropic"], only: ["anthropic", "openai"], ignore: ["azure"], sort: "price", allow_fallbacks: false, max_price: { prompt: 1, completion: 2 } };
    const decoded = decodeRequest({
      model: "anthropic/claude-sonnet-4.5",
      messages: [],
      models: ["anthropic/claude-sonnet-4.5", "openai/gpt-5-mini"],
      provider,
      reasoning: { effort: "low", max_tokens: 1024 },
      usage: { include: true },
    });
    expect(decoded.models).toEqual(["anthropic/claude-sonnet-4.5", "openai/gpt-5-mini"]);
    expect(decoded.provider).toEqual(provider);
    expect(decoded.request.reasoning).toEqual({ effort: "low", budgetTokens: 1024 });
    expect(decoded.includeUsage).toBe(true);
  });

  test("stream_options.include_usage asks for the usage chunk", () => {
    expect(decodeRequest({ model: "m", messages: [], stream: true, stream_options: { include_usage: true } }).includeUsage).toBe(true);
    expect(decodeRequest({ model: "m", messages: [], stream: true }).includeUsage).toBe(false);
  });

  test("a document by URL is refused for OpenAI itself, naming it, and goes as it is to a compatible vendor (OpenRouter takes one)", () => {
    const request: ChatRequest = { model: "gpt-4.1", stream: false, messages: [{ role: "user", content: [{ type: "document", source: { kind: "url", url: "https://example.com/report.pdf" } }] }] };
    expect(() => encodeRequest(request, { openaiOnly: true })).toThrow("takes a document's data, not its URL (https://example.com/report.pdf)");
    expect(JSON.stringify(encodeRequest(request).messages)).toContain('"file_data":"https://example.com/report.pdf"');
  });

  test("prompt-cache breakpoints reach compatible vendors (OpenRouter reads them) and not OpenAI, which refuses them", () => {
    const request: ChatRequest = { model: "gpt-5", stream: false, messages: [{ role: "system", content: [{ type: "text", text: "Rules.", cacheControl: {} }] }, { role: "user", content: [{ type: "text", text: "hi" }] }] };
    expect(JSON.stringify(encodeRequest(request).messages)).toContain("cache_control");
    expect(JSON.stringify(encodeRequest(request, { openaiOnly: true }).messages)).not.toContain("cache_control");
  });

  test("a tool choice and parallel calls go only with tools, which OpenAI requires beside them", () => {
    const request: ChatRequest = { model: "m", stream: false, messages: [], toolChoice: "auto", parallelToolCalls: false };
    expect(encodeRequest(request)).not.toContainKeys(["tool_choice", "parallel_tool_calls"]);
    const tools = [{ name: "f", parameters: { type: "object" } }];
    expect(encodeRequest({ ...request, tools })).toMatchObject({ tool_choice: "auto", parallel_tool_calls: false });
  });

  test("a tool result its client marked failed says so in its text, which is all Chat Completions and the Responses API carry of it", () => {
    const failed = { role: "tool" as const, toolCallId: "toolu_1", content: [{ type: "text" as const, text: "ENOENT: no such file" }], isError: true };
    const request: ChatRequest = { model: "m", stream: false, messages: [failed] };
    expect((encodeRequest(request).messages as unknown[])[0]).toEqual({ role: "tool", tool_call_id: "toolu_1", content: "Error: ENOENT: no such file" });
    expect((encodeUpstreamRequest(request).input as unknown[])[0]).toEqual({ type: "function_call_output", call_id: "toolu_1", output: "Error: ENOENT: no such file" });
    const fine = { ...failed, isError: undefined };
    expect((encodeRequest({ ...request, messages: [fine] }).messages as unknown[])[0]).toEqual({ role: "tool", tool_call_id: "toolu_1", content: "ENOENT: no such file" });
  });

  test("OpenRouter's reasoning switches: enabled alone asks its default effort, exclude and include_reasoning: false hide it", () => {
    const reasoning = (extra: Record<string, unknown>) => decodeRequest({ model: "m", messages: [], ...extra } as never).request.reasoning;
    expect(reasoning({ reasoning: { enabled: true } })).toEqual({ effort: "medium" });
    expect(reasoning({ reasoning: { effort: "high", exclude: true } })).toEqual({ effort: "high", exclude: true });
    expect(reasoning({ include_reasoning: false })).toEqual({ exclude: true });
    expect(reasoning({ include_reasoning: true })).toBeUndefined();
  });

  test("every effort OpenAI lists is kept, `none` and `xhigh` too; one it does not list is refused naming the field", () => {
    for (const effort of ["none", "minimal", "low", "medium", "high", "xhigh"]) {
      expect(decodeRequest({ model: "m", messages: [], reasoning_effort: effort }).request.reasoning).toEqual({ effort } as never);
    }
    expect(() => decodeRequest({ model: "m", messages: [], reasoning_effort: "ultra" })).toThrow("invalid field `reasoning_effort`: \"ultra\" is not a reasoning effort; use one of none, minimal, low, medium, high, xhigh");
    expect(() => decodeRequest({ model: "m", messages: [], reasoning: { effort: "max" } })).toThrow("reasoning.effort");
  });

  test("the schema accepts unknown extra fields; a part the model would not see is refused, named, not dropped", () => {
    const body = {
      model: "m",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }, { type: "input_audio", input_audio: { data: "", format: "wav" } }] }],
      transforms: ["middle-out"],
      x_trace: { span: 1 },
    };
    expect(check.Check(body)).toBe(true);
    expect(() => decodeRequest(body as ChatCompletionBody)).toThrow("messages.0.content.1.type");
    const { request } = decodeRequest({ ...body, messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] } as ChatCompletionBody);
    expect(request.openaiFields).toBeUndefined();
    expect(encodeRequest(request, { openaiFields: true })).not.toHaveProperty("transforms");
  });

  test("file parts are documents: a data URL, bare base64 typed by its file name, a URL; a refusal is the assistant's text", () => {
    const body = {
      model: "m",
      messages: [
        {
          role: "user",
          content: [
            { type: "file", file: { filename: "q3.pdf", file_data: "data:application/pdf;base64,JVBERi0=" }, cache_control: { type: "ephemeral" } },
            { type: "file", file: { filename: "notes.txt", file_data: "UmV2ZW51ZSByb3NlLg==" } },
            { type: "file", file: { file_data: "https://example.com/q4.pdf" } },
          ],
        },
        { role: "assistant", content: [{ type: "refusal", refusal: "I cannot help with that." }] },
      ],
    };
    expect(check.Check(body)).toBe(true);
    const { request } = decodeRequest(body as ChatCompletionBody);
    expect(request.messages[0]!.content).toEqual([
      { type: "document", source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" }, title: "q3.pdf", cacheControl: {} },
      { type: "document", source: { kind: "base64", mediaType: "text/plain", data: "UmV2ZW51ZSByb3NlLg==" }, title: "notes.txt" },
      { type: "document", source: { kind: "url", url: "https://example.com/q4.pdf" } },
    ]);
    expect(request.messages[1]!.content).toEqual([{ type: "text", text: "I cannot help with that." }]);
    const encoded = encodeRequest(request) as { messages: { content: unknown }[] };
    expect(encoded.messages[0]!.content).toEqual([
      body.messages[0]!.content[0],
      { type: "file", file: { filename: "notes.txt", file_data: "data:text/plain;base64,UmV2ZW51ZSByb3NlLg==" } },
      { type: "file", file: { file_data: "https://example.com/q4.pdf" } },
    ]);
  });

  test("a file part without its data is refused, naming what to send instead", () => {
    const part = (file: object) => ({ model: "m", messages: [{ role: "user", content: [{ type: "file", file }] }] }) as ChatCompletionBody;
    expect(() => decodeRequest(part({ file_id: "file-1" }))).toThrow("messages.0.content.0.file.file_id");
    expect(() => decodeRequest(part({ filename: "a.pdf" }))).toThrow("messages.0.content.0.file");
  });

  test("a part of a type the gateway reads, without its member, is refused naming the member", () => {
    const body = { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }, { type: "image_url" }] }] };
    expect(check.Check(body)).toBe(true);
    expect(() => decodeRequest(body as ChatCompletionBody)).toThrow("messages.0.content.1.image_url");
  });

  test("OpenAI's own steering fields are kept as sent and encoded only for vendors that take them", () => {
    const fields = {
      logit_bias: { "50256": -100 },
      metadata: { session: "abc" },
      store: true,
      service_tier: "default",
      prompt_cache_key: "agent-7",
      safety_identifier: "hash-42",
      verbosity: "low",
      top_logprobs: null,
      modalities: ["text"],
      prediction: { type: "content", content: "const x = 1;" },
    };
    const body = { model: "m", messages: [{ role: "user", content: "hi" }], ...fields };
    expect(check.Check(body)).toBe(true);
    const { request } = decodeRequest(body as ChatCompletionBody);
    expect(request.openaiFields).toEqual(fields);
    expect(encodeRequest(request, { openaiFields: true })).toMatchObject(fields);
    const plain = encodeRequest(request);
    for (const field of OPENAI_FIELDS) expect(plain).not.toHaveProperty(field);
  });

  test("the schema names an OpenAI field of the wrong type", () => {
    expect(check.Check({ model: "m", messages: [], logit_bias: { "1": "ban" } })).toBe(false);
    expect(check.Check({ model: "m", messages: [], metadata: { turn: 3 } })).toBe(false);
    expect(check.Check({ model: "m", messages: [], store: "yes" })).toBe(false);
  });

  test("the schema refuses a body without messages", () => {
    expect(check.Check({ model: "m" })).toBe(false);
  });

  test("encoding for OpenAI itself leaves out fields only compatible vendors take", () => {
    const body = encodeRequest(codingTurn, { openaiOnly: true, maxTokensField: "max_completion_tokens" });
    expect(body.top_k).toBeUndefined();
    expect(body.reasoning).toBeUndefined();
    expect(body.reasoning_effort).toBe("high");
    expect(body.max_completion_tokens).toBe(2048);
    expect(body.max_tokens).toBeUndefined();
  });

  test("assistant reasoning is not sent back unless a field is named", () => {
    const body = encodeRequest(codingTurn);
    const assistant = (body.messages as Record<string, unknown>[])[3]!;
    expect(assistant.reasoning_content).toBeUndefined();
    expect(assistant.content).toBeNull();
  });

  test("for Mistral, seed goes as random_seed, and user, top_k and a reasoning budget, which it refuses, are left out", () => {
    const body = encodeRequest(codingTurn, { flavour: "mistral" });
    expect(body.random_seed).toBe(7);
    for (const field of ["seed", "user", "top_k", "reasoning"]) expect(body[field]).toBeUndefined();
    expect(body.reasoning_effort).toBe("high");
    expect(body.temperature).toBe(0.2);
  });

  test("stream_options is sent only for streams that ask for usage", () => {
    expect(encodeRequest(codingTurn, { includeUsage: true }).stream_options).toEqual({ include_usage: true });
    expect(encodeRequest({ ...codingTurn, stream: false }, { includeUsage: true }).stream_options).toBeUndefined();
  });
});
