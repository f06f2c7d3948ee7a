// Canonical answers → Responses API `response` objects: the model's reasoning, its message and its
// function calls as output items, in that order, and the usage with its cost.

import type { ChatRequest, ChatResponse, FinishReason, Usage } from "../../kit/canonical.ts";
import { freeformInput, freeformNames } from "./freeform.ts";
import { requestEcho } from "./request.ts";

type Json = Record<string, unknown>;

/** What every response object of one request shares. */
export interface ResponseInfo {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** The client's request, whose settings the response object repeats. */
  request?: ChatRequest;
}

export function encodeResponse(response: ChatResponse, info: ResponseInfo & { costUsd?: number; request?: ChatRequest }): Json {
  const freeform = freeformNames(info.request?.tools);
  const output: Json[] = [];
  const encrypted = (response.reasoningBlocks ?? []).filter((block) => block.type === "openai");
  if (response.reasoning) {
    const at = output.length;
    const readable = response.reasoningSummary ? summaryItem(info.id, at, [summaryPart(response.reasoning)]) : reasoningItem(info.id, at, [reasoningPart(response.reasoning)]);
    // OpenAI's reasoning is one item, its summary beside its encrypted content: the first carries the text.
    const first = encrypted.shift();
    output.push(first ? { ...encryptedReasoningItem(first), ...withoutId(readable) } : readable);
  }
  for (const block of encrypted) output.push(encryptedReasoningItem(block));
  // The vendor's messages of a phase each, as it split them; else the answer's text as one message.
  for (const message of response.phases ?? []) output.push(messageItem(info.id, output.length, [textPart(message.text)], "completed", message.phase));
  const parts: Json[] = [];
  if (response.text && !response.phases) parts.push(textPart(response.text));
  if (response.refusal) parts.push(refusalPart(response.refusal));
  if (parts.length) output.push(messageItem(info.id, output.length, parts));
  for (const call of response.toolCalls) {
    output.push(freeform?.has(call.name) ? customToolCallItem(info.id, output.length, call) : functionCallItem(info.id, output.length, call));
  }
  const status = finalStatus(response.finishReason, response.nativeFinishReason);
  // What the cut fell on is incomplete too: a call's arguments, cut, are no call to run.
  const last = output[output.length - 1];
  if (status.status === "incomplete" && last && "status" in last) last.status = "incomplete";
  return responseObject(info, status, output, response.usage && encodeUsage(response.usage, info.costUsd));
}

/** The response object at any point of its life: `in_progress` with no output yet, or as it ended. */
export function responseObject(info: ResponseInfo, status: Status, output: Json[], usage?: Json): Json {
  const object: Json = {
    id: info.id,
    object: "response",
    created_at: info.created,
    status: status.status,
    error: status.error ?? null,
    incomplete_details: status.incomplete ? { reason: status.incomplete } : null,
    model: info.model,
    output,
    ...requestEcho(info.request),
  };
  if (usage) object.usage = usage;
  return object;
}

export interface Status {
  status: "in_progress" | "completed" | "incomplete" | "failed";
  incomplete?: "max_output_tokens" | "content_filter";
  error?: { code: string; message: string };
}

/**
 * An answer cut short by its token cap or by a filter is `incomplete`, and says why; one the vendor
 * ended with an error of its own (Gemini's MALFORMED_FUNCTION_CALL) is `failed`, where `completed`
 * with nothing in it would pass for a model that chose to say nothing.
 */
export function finalStatus(reason: FinishReason | undefined, native?: string): Status {
  if (reason === "length") return { status: "incomplete", incomplete: "max_output_tokens" };
  if (reason === "content_filter") return { status: "incomplete", incomplete: "content_filter" };
  if (reason === "error") return { status: "failed", error: { code: "server_error", message: `the vendor ended the answer with an error${native ? ` (${native})` : ""}` } };
  return { status: "completed" };
}

/** Responses usage: input and output tokens with their details, their total, and our cost in USD. */
export function encodeUsage(usage: Usage, costUsd?: number): Json {
  const encoded: Json = {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  if (costUsd !== undefined) encoded.cost = costUsd;
  return encoded;
}

// Output items. Each one's id is the request's with the item's place in the output, so that a
// stream's events and its final response name each item alike.

function itemId(prefix: string, id: string, at: number): string {
  return `${prefix}_${id}_${at}`;
}

export function textPart(text: string): Json {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

export function refusalPart(refusal: string): Json {
  return { type: "refusal", refusal };
}

function withoutId({ id: _, ...item }: Json): Json {
  return item;
}

export function reasoningPart(text: string): Json {
  return { type: "reasoning_text", text };
}

/** A summary of the reasoning (OpenAI's), as OpenAI's reasoning items carry one. */
export function summaryPart(text: string): Json {
  return { type: "summary_text", text };
}

type ItemStatus = "in_progress" | "completed" | "incomplete";

export function messageItem(id: string, at: number, parts: Json[], status: ItemStatus = "completed", phase?: string): Json {
  const item: Json = { type: "message", id: itemId("msg", id, at), status, role: "assistant", content: parts };
  if (phase !== undefined) item.phase = phase;
  return item;
}

/** The model's reasoning as it came, readable: raw reasoning text, as OpenAI's open-weight models give it. */
export function reasoningItem(id: string, at: number, parts: Json[]): Json {
  return { type: "reasoning", id: itemId("rs", id, at), summary: [], content: parts };
}

/** The reasoning as its summary, readable: how OpenAI's reasoning models give it. */
export function summaryItem(id: string, at: number, parts: Json[]): Json {
  return { type: "reasoning", id: itemId("rs", id, at), summary: parts };
}

/** A freeform tool's call: its text, as the Responses API gives a `custom` tool's input. */
export function customToolCallItem(id: string, at: number, call: { id: string; name: string; arguments: string }, input = freeformInput(call.arguments)): Json {
  return { type: "custom_tool_call", id: itemId("ctc", id, at), call_id: call.id, name: call.name, input };
}

/** OpenAI's encrypted reasoning item, under its own id: a client of the Responses API sends it back as it came. */
export function encryptedReasoningItem(block: { id: string; encrypted: string }): Json {
  // Codex sends its items back without their ids: OpenAI refuses an empty one, and takes none.
  return block.id ? { type: "reasoning", id: block.id, summary: [], encrypted_content: block.encrypted } : { type: "reasoning", summary: [], encrypted_content: block.encrypted };
}

export function functionCallItem(id: string, at: number, call: { id: string; name: string; arguments: string }, status: ItemStatus = "completed"): Json {
  return { type: "function_call", id: itemId("fc", id, at), call_id: call.id, name: call.name, arguments: call.arguments, status };
}
