// Round trips and vendor quirks of chat.completion JSON, and vendor error mapping.

import { describe, expect, test } from "bun:test";
import type { ChatResponse } from "../../core/kit/canonical.ts";
import { decodeError, decodeResponse, encodeResponse } from "../../core/wire/openai/index.ts";
import contextFixture from "../fixtures/openai/error-context-length.json";
import keyFixture from "../fixtures/openai/error-invalid-api-key.json";
import rateFixture from "../fixtures/openai/error-rate-limit.json";
import completionFixture from "../fixtures/openai/chat-completion.json";
import toolFixture from "../fixtures/openai/chat-completion-tool-calls.json";
import refusalFixture from "../fixtures/openai/chat-completion-refusal.json";

const toolResponse: ChatResponse = {
  id: "gen-1",
  model: "gpt-5-mini",
  created: 1_741_569_952,
  text: "Reading the log.",
  reasoning: "Need the file first.",
  toolCalls: [
    { id: "call_1", name: "read_file", arguments: '{"path":"build.log"}' },
    { id: "call_2", name: "grep", arguments: '{"pattern":"error"}' },
  ],
  finishReason: "tool_calls",
  nativeFinishReason: "tool_calls",
  usage: { inputTokens: 1200, outputTokens: 80, cachedInputTokens: 1024, cacheWriteTokens: 12, reasoningTokens: 40 },
};

describe("OpenAI response codec", () => {
  test("a response with tool calls, reasoning and detailed usage survives encode then decode", () => {
    const json = JSON.parse(JSON.stringify(encodeResponse(toolResponse, { id: toolResponse.id, model: toolResponse.model })));
    expect(decodeResponse(json)).toEqual(toolResponse);
  });

  test("a plain text response survives encode then decode", () => {
    const response: ChatResponse = { id: "gen-2", model: "m", created: 1, text: "Hi", toolCalls: [], finishReason: "length", nativeFinishReason: "max_tokens" };
    expect(decodeResponse(encodeResponse(response, { id: "gen-2", model: "m" }))).toEqual(response);
  });

  test("a structured-output refusal keeps its refusal, and goes back with no content", () => {
    const response = decodeResponse(refusalFixture);
    expect(response.refusal).toBe("I'm sorry, I cannot assist with that request.");
    expect(response.text).toBe("");
    const message = (encodeResponse(response, { id: "gen-3", model: "gpt-4o" }).choices as { message: Record<string, unknown> }[])[0]!.message;
    expect(message).toEqual({ role: "assistant", content: null, refusal: "I'm sorry, I cannot assist with that request.", annotations: [] });
  });

  test("an answer's message has the fields of OpenAI's recorded one, a null refusal and no annotations too", () => {
    const message = (encodeResponse(decodeResponse(completionFixture), { id: "gen-4", model: "gpt-4o" }).choices as { message: Record<string, unknown> }[])[0]!.message;
    expect(Object.keys(message).sort()).toEqual(Object.keys(completionFixture.choices[0]!.message).sort());
    expect([message.refusal, message.annotations]).toEqual([null, []]);
  });

  test("encodeResponse adds the cost in USD to usage when given", () => {
    const json = encodeResponse(toolResponse, { id: "gen-1", model: "gpt-5-mini", costUsd: 0.00123 });
    expect((json.usage as { cost: number }).cost).toBe(0.00123);
    expect((json.usage as { total_tokens: number }).total_tokens).toBe(1280);
  });

  test("the API reference's completion decodes to canonical text, finish and usage", () => {
    const response = decodeResponse(completionFixture);
    expect(response).toMatchObject({ text: "Hello! How can I assist you today?", finishReason: "stop", model: "gpt-4.1-2025-04-14" });
    expect(response.usage).toEqual({ inputTokens: 19, outputTokens: 10 });
  });

  test("the API reference's tool-call completion decodes its call", () => {
    const response = decodeResponse(toolFixture);
    expect(response.toolCalls).toEqual([{ id: "call_abc123", name: "get_current_weather", arguments: '{\n"location": "Boston, MA"\n}' }]);
    expect(response.finishReason).toBe("tool_calls");
    expect(response.text).toBe("");
  });

  test("DeepSeek's cache hits and reasoning_content are read", () => {
    const response = decodeResponse({
      id: "x",
      model: "deepseek-reasoner",
      created: 1,
      choices: [{ index: 0, message: { role: "assistant", content: "42", reasoning_content: "Think." }, finish_reason: "stop" }],
      usage: { prompt_tokens: 100, completion_tokens: 20, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36, completion_tokens_details: { reasoning_tokens: 15 } },
    });
    expect(response.reasoning).toBe("Think.");
    expect(response.usage).toEqual({ inputTokens: 100, outputTokens: 20, cachedInputTokens: 64, reasoningTokens: 15 });
  });

  test("content as chunks (Mistral's reasoning models) is read: text chunks as the text, thinking chunks as the reasoning", () => {
    const content = [
      { type: "thinking", thinking: [{ type: "text", text: "Let me compute " }, { type: "text", text: "2+2." }] },
      { type: "text", text: "The answer" },
      { type: "text", text: " is 4." },
    ];
    const response = decodeResponse({ id: "m1", object: "chat.completion", created: 1, model: "magistral-medium-latest", choices: [{ index: 0, message: { role: "assistant", content, tool_calls: null }, finish_reason: "stop" }] });
    expect(response).toMatchObject({ text: "The answer is 4.", reasoning: "Let me compute 2+2.", finishReason: "stop" });
    // Any server's array of text parts is its text.
    expect(decodeResponse({ choices: [{ message: { content: [{ type: "text", text: "Hi" }] }, finish_reason: "stop" }] }).text).toBe("Hi");
  });

  test("an answer with tool calls that ended with stop (OpenAI's for a named tool_choice, Ollama's, vLLM's) finished for its tool calls, the native stop kept", () => {
    const message = { role: "assistant", content: null, tool_calls: [{ id: "call_abc", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] };
    const response = decodeResponse({ id: "c1", object: "chat.completion", created: 1, model: "gpt-4o", choices: [{ index: 0, message, finish_reason: "stop" }] });
    expect(response).toMatchObject({ finishReason: "tool_calls", nativeFinishReason: "stop" });
    expect(decodeResponse({ choices: [{ message: { content: "Hi" }, finish_reason: "stop" }] }).finishReason).toBe("stop");
  });

  test("unknown vendor finish reasons are normalized and the native one kept", () => {
    const response = decodeResponse({ id: "x", model: "m", created: 1, choices: [{ message: { content: "a" }, finish_reason: "eos" }] });
    expect(response.finishReason).toBe("stop");
    expect(response.nativeFinishReason).toBe("eos");
  });

  test("a 200 body carrying an error throws an upstream error", () => {
    expect(() => decodeResponse({ error: { message: "provider overloaded", code: 502 } })).toThrow("provider overloaded");
  });
});

describe("OpenAI error mapping", () => {
  test("a 400 context_length_exceeded becomes a context_length_exceeded error", () => {
    const error = decodeError(400, contextFixture, new Headers());
    expect(error.code).toBe("context_length_exceeded");
    expect(error.retryable).toBe(true);
    expect(error.metadata).toMatchObject({ upstream: { status: 400, code: "context_length_exceeded", param: "messages" } });
  });

  test("a 400 whose message speaks of the context length is detected without a code", () => {
    const error = decodeError(400, { object: "error", message: "This model's maximum context length is 32768 tokens." }, new Headers());
    expect(error.code).toBe("context_length_exceeded");
  });

  test("a 429 keeps the vendor's retry-after", () => {
    const error = decodeError(429, rateFixture, new Headers({ "retry-after": "2" }));
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterMs).toBe(2000);
    expect(error.message).toContain("Rate limit reached");
  });

  test("a 401 from the vendor is an upstream error another endpoint may avoid", () => {
    const error = decodeError(401, keyFixture, new Headers());
    expect(error.code).toBe("upstream_error");
    expect(error.retryable).toBe(true);
  });

  test("the provider's own key is cut out of a vendor message", () => {
    const error = decodeError(401, { error: { message: "bad key sk-secret-123" } }, new Headers(), { secrets: ["sk-secret-123"] });
    expect(error.message).toBe("bad key [redacted]");
    expect(JSON.stringify(error.toJSON())).not.toContain("sk-secret-123");
  });

  test("Mistral's 422 says which fields it refused, each with its place, not only its status", () => {
    const detail = [
      { type: "extra_forbidden", loc: ["body", "stream_options"], msg: "Extra inputs are not permitted", input: { include_usage: true } },
      { type: "extra_forbidden", loc: ["body", "seed"], msg: "Extra inputs are not permitted", input: 7 },
    ];
    const error = decodeError(422, { object: "error", message: { detail }, type: "invalid_request_error", param: null, code: null }, new Headers());
    expect(error).toMatchObject({ code: "bad_request", retryable: false });
    expect(error.message).toBe("body.stream_options: Extra inputs are not permitted; body.seed: Extra inputs are not permitted");
    expect(error.metadata).toMatchObject({ upstream: { status: 422, type: "invalid_request_error" } });
    // Its other shape, with the list at the top as FastAPI servers send it too.
    expect(decodeError(422, { object: "Error", detail: detail.slice(1), message: detail.slice(1), code: 3001 }, new Headers()).message).toBe("body.seed: Extra inputs are not permitted");
  });

  test("a plain-text 503 body becomes the message of an upstream error", () => {
    const error = decodeError(503, "upstream connect error", new Headers());
    expect(error.code).toBe("upstream_error");
    expect(error.message).toBe("upstream connect error");
  });
});
