// chat.completion JSON ⇄ canonical ChatResponse, plus the usage and finish-reason codecs streams share.

import { errors } from "../../errors.ts";
import type { ChatRequest, ChatResponse, FinishReason, StreamEvent, ToolCall, Usage } from "../../kit/canonical.ts";

type Json = Record<string, unknown>;

const FINISH: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
  content_filter: "content_filter",
  error: "error",
  // Seen from compatible servers (vLLM, llama.cpp, Mistral).
  eos: "stop",
  model_length: "length",
  max_tokens: "length",
};

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Vendor finish reason → canonical; anything unknown ended normally. */
export function decodeFinishReason(native: string): FinishReason {
  return FINISH[native] ?? "stop";
}

/** Vendor `usage` object → canonical; undefined when it carries no token counts. */
export function decodeUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const input = num(usage.prompt_tokens);
  const output = num(usage.completion_tokens);
  if (input === undefined && output === undefined) return undefined;
  const decoded: Usage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  const prompt = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  // DeepSeek reports cache hits at the top level instead of in the details.
  const cached = num(prompt.cached_tokens) ?? num(usage.prompt_cache_hit_tokens);
  if (cached) decoded.cachedInputTokens = cached;
  const written = num(prompt.cache_write_tokens);
  if (written) decoded.cacheWriteTokens = written;
  const reasoning = num(completion.reasoning_tokens);
  if (reasoning) decoded.reasoningTokens = reasoning;
  return decoded;
}

/** Canonical usage → OpenAI `usage`, with OpenRouter's `cost` in USD when known. */
export function encodeUsage(usage: Usage, costUsd?: number): Json {
  const prompt: Json = { cached_tokens: usage.cachedInputTokens ?? 0 };
  if (usage.cacheWriteTokens) prompt.cache_write_tokens = usage.cacheWriteTokens;
  const encoded: Json = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: prompt,
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
  if (costUsd !== undefined) encoded.cost = costUsd;
  return encoded;
}

function decodeToolCalls(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return [];
  const calls: ToolCall[] = [];
  for (const call of value) {
    if (!isObject(call) || !isObject(call.function)) continue;
    calls.push({ id: str(call.id) ?? "", name: str(call.function.name) ?? "", arguments: str(call.function.arguments) ?? "" });
  }
  return calls;
}

/**
 * Content sent as an array of chunks, as Mistral's reasoning models send it (`thinking` chunks of
 * text chunks, then `text` chunks), as text and reasoning events in order. Any server's array of
 * text parts reads as its text.
 */
export function decodeContentChunks(chunks: unknown[], out: StreamEvent[]): void {
  for (const chunk of chunks) {
    if (!isObject(chunk)) continue;
    if (chunk.type === "text" && typeof chunk.text === "string" && chunk.text) out.push({ type: "text", text: chunk.text });
    else if (chunk.type === "thinking" && Array.isArray(chunk.thinking)) {
      for (const part of chunk.thinking) if (isObject(part) && typeof part.text === "string" && part.text) out.push({ type: "reasoning", text: part.text });
    }
  }
}

/** `response`'s text and reasoning from a message's content sent as chunks (see decodeContentChunks). */
function readContentChunks(chunks: unknown[], response: ChatResponse): void {
  const events: StreamEvent[] = [];
  decodeContentChunks(chunks, events);
  for (const event of events) {
    if (event.type === "text") response.text += event.text;
    else if (event.type === "reasoning") response.reasoning = (response.reasoning ?? "") + event.text;
  }
}

/** Vendor chat.completion JSON → canonical. A 200 that carries an `error` (OpenRouter does this) throws. */
export function decodeResponse(json: unknown): ChatResponse {
  if (!isObject(json)) throw errors.upstream("vendor answered with a body that is not a chat completion", { retryable: true });
  if (isObject(json.error)) {
    throw errors.upstream(str(json.error.message) ?? "vendor reported an error", { retryable: true, metadata: { upstream: json.error } });
  }
  const choice = Array.isArray(json.choices) && isObject(json.choices[0]) ? json.choices[0] : undefined;
  if (!choice) throw errors.upstream("vendor answered with no choices", { retryable: true });
  const message = isObject(choice.message) ? choice.message : {};
  const toolCalls = decodeToolCalls(message.tool_calls);
  const native = str(choice.native_finish_reason) ?? str(choice.finish_reason);
  const response: ChatResponse = {
    id: str(json.id) ?? "",
    model: str(json.model) ?? "",
    created: num(json.created) ?? 0,
    text: str(message.content) ?? "",
    toolCalls,
    finishReason: str(choice.finish_reason) ? decodeFinishReason(choice.finish_reason as string) : "stop",
  };
  // OpenAI (for a named tool_choice), Ollama, vLLM and SGLang end an answer that calls tools with
  // "stop": it ended to have them called all the same, as clients that loop on tool_use expect.
  if (response.finishReason === "stop" && toolCalls.length) response.finishReason = "tool_calls";
  const reasoning = str(message.reasoning_content) ?? str(message.reasoning);
  if (reasoning) response.reasoning = reasoning;
  if (Array.isArray(message.content)) readContentChunks(message.content, response);
  const refusal = str(message.refusal);
  if (refusal) response.refusal = refusal;
  if (native) response.nativeFinishReason = native;
  const usage = decodeUsage(json.usage);
  if (usage) response.usage = usage;
  return response;
}

/** Canonical → chat.completion JSON for our clients. */
/** `request`: the client's, whose reasoning it may have asked to be shown none of (ReasoningOptions.exclude). */
export function encodeResponse(response: ChatResponse, info: { id: string; model: string; costUsd?: number; request?: ChatRequest }): Json {
  // A refusal comes with no content, as OpenAI sends it: the SDK's `parse()` reads `refusal` then.
  // `refusal` and `annotations` always, as OpenAI sends them: strict clients model both as present.
  const message: Json = { role: "assistant", content: response.text || (response.toolCalls.length || response.refusal ? null : ""), refusal: response.refusal || null, annotations: [] };
  if (response.reasoning && !info.request?.reasoning?.exclude) message.reasoning = response.reasoning;
  if (response.toolCalls.length) {
    message.tool_calls = response.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  const choice: Json = { index: 0, message, logprobs: null, finish_reason: response.finishReason };
  if (response.nativeFinishReason !== undefined) choice.native_finish_reason = response.nativeFinishReason;
  const out: Json = { id: info.id, object: "chat.completion", created: response.created, model: info.model, choices: [choice] };
  if (response.usage) out.usage = encodeUsage(response.usage, info.costUsd);
  return out;
}
