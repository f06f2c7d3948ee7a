// Anthropic message JSON ⇄ canonical responses, with the stop-reason and usage mappings shared by streams.

import { errors } from "../../errors.ts";
import type { ChatResponse, FinishReason, ToolCall, Usage } from "../../kit/canonical.ts";
import { thinkingBlocks, ThinkingReader } from "./thinking.ts";

const FINISH: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  // A long server-tool turn Anthropic paused, to be sent again to go on: unfinished, as a cut answer
  // is, for a client of another dialect (an Anthropic client keeps pause_turn, the native reason).
  pause_turn: "length",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

const NATIVE_STOP: Record<FinishReason, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "refusal",
  error: "end_turn",
};

export function finishFromStopReason(reason: string | null | undefined): FinishReason {
  return (reason && FINISH[reason]) || "stop";
}

/** The Anthropic stop_reason for a canonical finish; keeps the native one when it means the same. */
export function stopReasonFor(reason: FinishReason, native: string | undefined): string {
  return native !== undefined && FINISH[native] === reason ? native : NATIVE_STOP[reason];
}

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  /** The cache writes by the lifetime the prompt's breakpoints asked for. */
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  /** What Anthropic's own tools did: its web searches are priced apart. */
  server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null;
}

/** Anthropic reports uncached input only; canonical input counts every input token, cached included. */
export function decodeUsage(usage: AnthropicUsage): Usage {
  const cached = usage.cache_read_input_tokens ?? 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  const result: Usage = { inputTokens: (usage.input_tokens ?? 0) + cached + written, outputTokens: usage.output_tokens ?? 0 };
  if (cached > 0) result.cachedInputTokens = cached;
  if (written > 0) result.cacheWriteTokens = written;
  const forAnHour = Math.min(written, usage.cache_creation?.ephemeral_1h_input_tokens ?? 0);
  if (forAnHour > 0) result.cacheWrite1hTokens = forAnHour;
  const searches = usage.server_tool_use?.web_search_requests ?? 0;
  if (searches > 0) result.webSearches = searches;
  return result;
}

export interface EncodedUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  server_tool_use?: { web_search_requests: number };
  /** What the request cost in USD, the gateway's own member (as in its OpenAI answers). */
  cost?: number;
}

export function encodeUsage(usage: Usage | undefined): EncodedUsage {
  const cached = usage?.cachedInputTokens ?? 0;
  const written = usage?.cacheWriteTokens ?? 0;
  const encoded: EncodedUsage = {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cached - written),
    output_tokens: usage?.outputTokens ?? 0,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cached,
  };
  if (written > 0) {
    const forAnHour = Math.min(written, usage?.cacheWrite1hTokens ?? 0);
    encoded.cache_creation = { ephemeral_5m_input_tokens: written - forAnHour, ephemeral_1h_input_tokens: forAnHour };
  }
  if (usage?.webSearches) encoded.server_tool_use = { web_search_requests: usage.webSearches };
  return encoded;
}

interface MessageJson {
  id?: string;
  model?: string;
  content?: { type: string; text?: string; thinking?: string; signature?: string; data?: string; id?: string; name?: string; input?: unknown; citations?: unknown }[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  usage?: AnthropicUsage;
}

/** An Anthropic message (non-streamed reply) as a canonical response. */
export function decodeResponse(json: unknown): ChatResponse {
  const message = (json ?? {}) as MessageJson;
  // Anthropic's own API always sends the list, empty or not; a server that only claims its format
  // and sends none has sent no answer, which must not pass for an empty one.
  if (!Array.isArray(message.content)) throw errors.upstream("the vendor's answer is no message: it has no content list", { retryable: true });
  let text = "";
  const thinking = new ThinkingReader();
  const toolCalls: ToolCall[] = [];
  // Blocks of Anthropic's own tools, or citations: the answer's blocks then go to Anthropic clients as they came.
  let server = false;
  for (const block of message.content ?? []) {
    if (thinking.read(block)) continue;
    if (block.type === "text") {
      text += block.text ?? "";
      if (Array.isArray(block.citations) && block.citations.length > 0) server = true;
    } else if (block.type === "tool_use") {
      toolCalls.push({ id: block.id ?? "", name: block.name ?? "", arguments: JSON.stringify(block.input ?? {}) });
    } else server = true;
  }
  const response: ChatResponse = {
    id: message.id ?? "",
    model: message.model ?? "",
    created: Math.floor(Date.now() / 1000),
    text,
    toolCalls,
    finishReason: finishFromStopReason(message.stop_reason),
  };
  if (message.stop_reason) response.nativeFinishReason = message.stop_reason;
  if (message.stop_sequence) response.stopSequence = message.stop_sequence;
  thinking.into(response);
  if (server) response.anthropicContent = message.content as Record<string, unknown>[];
  if (message.usage) response.usage = decodeUsage(message.usage);
  return response;
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text || "{}");
  } catch {
    return {};
  }
}

function contentOf(response: ChatResponse): Record<string, unknown>[] {
  const content = thinkingBlocks(response, { unsigned: true });
  // Messages has no refusal of its own: it is what the model said.
  const text = response.refusal ? (response.text ? `${response.text}\n\n${response.refusal}` : response.refusal) : response.text;
  if (text !== "" || response.toolCalls.length === 0) content.push({ type: "text", text });
  for (const call of response.toolCalls) content.push({ type: "tool_use", id: call.id, name: call.name, input: parseInput(call.arguments) });
  return content;
}

/** A canonical response as Anthropic message JSON, for clients of POST /v1/messages: Anthropic's own blocks as they came. */
export function encodeResponse(response: ChatResponse, info: { id: string; model: string; costUsd?: number }): Record<string, unknown> {
  return {
    id: info.id,
    type: "message",
    role: "assistant",
    model: info.model,
    content: response.anthropicContent ?? contentOf(response),
    stop_reason: stopReasonFor(response.finishReason, response.nativeFinishReason),
    stop_sequence: response.stopSequence ?? null,
    usage: withCost(encodeUsage(response.usage), info.costUsd),
  };
}

/** Usage with the request's cost in USD beside Anthropic's counts, where the gateway metered it. */
export function withCost(usage: EncodedUsage, costUsd: number | undefined): EncodedUsage {
  if (costUsd !== undefined) usage.cost = costUsd;
  return usage;
}
