// Anthropic SSE (message_start … message_stop) → canonical stream events, for the provider.

import { errors } from "../../errors.ts";
import type { BatchedEvents, FinishReason, StreamEvent } from "../../kit/canonical.ts";
import { decodeSse, decodeSseMessages, type SseMessage, type StreamDecoder } from "../../kit/sse.ts";
import { decodeError, STATUS_OF_TYPE } from "./errors.ts";
import { decodeUsage, finishFromStopReason, type AnthropicUsage } from "./response.ts";

interface StreamData {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string; thinking?: string; data?: string };
  delta?: { type?: string; text?: string; partial_json?: string; thinking?: string; signature?: string; stop_reason?: string | null; stop_sequence?: string | null; citation?: unknown };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

class StreamState {
  usage: AnthropicUsage = {};
  stopReason: string | null = null;
  stopSequence: string | null = null;
  /** Anthropic content-block index → canonical tool-call index. */
  toolIndex = new Map<number, number>();
  /** The tool calls whose input has begun: one whose input never does takes none, `{}`. */
  toolInput = new Set<number>();
  tools = 0;
  /** The index of the block of Anthropic's own being written (a server tool's call, whose input streams), or -1. */
  serverBlock = -1;
  /** The last block begun was text: a text block after it is a block of its own (see blockStart). */
  inText = false;

  mergeUsage(usage: AnthropicUsage | undefined): void {
    // message_delta usage counters are cumulative totals: overwrite what is present, never add.
    if (!usage) return;
    for (const key of ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"] as const) {
      const value = usage[key];
      if (typeof value === "number") this.usage[key] = value;
    }
    if (usage.cache_creation) this.usage.cache_creation = usage.cache_creation;
    if (usage.server_tool_use) this.usage.server_tool_use = usage.server_tool_use;
  }
}

function blockStart(data: StreamData, state: StreamState, out: StreamEvent[]): void {
  const block = data.content_block ?? {};
  // Canonical text runs on across blocks; Anthropic splits an answer's text where citations begin
  // and end, and a citation marks its whole block, so an Anthropic client is told where one ends.
  if (block.type === "text" && state.inText) out.push({ type: "anthropic_block", block: { type: "text", text: "" } });
  state.inText = block.type === "text";
  if (block.type === "text" && block.text) out.push({ type: "text", text: block.text });
  else if (block.type === "thinking" && block.thinking) out.push({ type: "reasoning", text: block.thinking });
  else if (block.type === "redacted_thinking" && block.data) out.push({ type: "redacted_reasoning", data: block.data });
  else if (block.type === "tool_use") {
    const index = state.tools++;
    state.toolIndex.set(data.index ?? 0, index);
    out.push({ type: "tool_call_start", index, id: block.id ?? "", name: block.name ?? "" });
  } else if (block.type !== "text" && block.type !== "thinking" && block.type !== "redacted_thinking") {
    // Anthropic's own (a server tool's call or result): passed on as it began, its input deltas after it.
    state.serverBlock = data.index ?? 0;
    out.push({ type: "anthropic_block", block: block as Record<string, unknown> });
  }
}

function blockDelta(data: StreamData, state: StreamState, out: StreamEvent[]): void {
  const delta = data.delta ?? {};
  switch (delta.type) {
    case "text_delta":
      if (delta.text) out.push({ type: "text", text: delta.text });
      return;
    case "thinking_delta":
      if (delta.thinking) out.push({ type: "reasoning", text: delta.thinking });
      return;
    case "signature_delta":
      if (delta.signature) out.push({ type: "reasoning", text: "", signature: delta.signature });
      return;
    case "input_json_delta": {
      const index = state.toolIndex.get(data.index ?? 0);
      if (index !== undefined && delta.partial_json) {
        state.toolInput.add(index);
        out.push({ type: "tool_call_delta", index, arguments: delta.partial_json });
      }
      else if (state.serverBlock === (data.index ?? 0) && delta.partial_json) out.push({ type: "anthropic_delta", delta });
      return;
    }
    case "citations_delta":
      out.push({ type: "anthropic_delta", delta });
      return;
  }
}

function parse(message: SseMessage): StreamData {
  try {
    return JSON.parse(message.data) as StreamData;
  } catch (cause) {
    throw errors.upstream(`Anthropic sent an unreadable stream event (${message.event})`, { cause, retryable: true });
  }
}

/** Anthropic stream events as canonical events, one message at a time; `event: error` throws. */
class MessageStreamDecoder implements StreamDecoder {
  private readonly state = new StreamState();
  private started = false;
  done = false;

  message(message: SseMessage, out: StreamEvent[]): void {
    const data = parse(message);
    const state = this.state;
    switch (data.type ?? message.event) {
      case "message_start":
        this.started = true;
        state.mergeUsage(data.message?.usage);
        out.push({ type: "start", id: data.message?.id ?? "", model: data.message?.model ?? "", ...(data.message?.usage ? { usage: decodeUsage(state.usage) } : {}) });
        return;
      case "content_block_start":
        return blockStart(data, state, out);
      case "content_block_delta":
        return blockDelta(data, state, out);
      case "content_block_stop": {
        // A tool without arguments streams one empty partial_json: its arguments are `{}`, as
        // Anthropic's whole answer gives them, not "", which a client's JSON.parse refuses.
        const index = state.toolIndex.get(data.index ?? 0);
        if (index !== undefined && !state.toolInput.has(index)) out.push({ type: "tool_call_delta", index, arguments: "{}" });
        return;
      }
      case "message_delta":
        if (data.delta?.stop_reason) state.stopReason = data.delta.stop_reason;
        if (data.delta?.stop_sequence) state.stopSequence = data.delta.stop_sequence;
        state.mergeUsage(data.usage);
        return;
      case "message_stop": {
        const reason: FinishReason = finishFromStopReason(state.stopReason);
        out.push({ type: "usage", usage: decodeUsage(state.usage) });
        out.push({ type: "finish", reason, ...(state.stopReason ? { native: state.stopReason } : {}), ...(state.stopSequence ? { stopSequence: state.stopSequence } : {}) });
        this.done = true;
        return;
      }
      case "error": {
        const type = data.error?.type ?? "api_error";
        throw decodeError(STATUS_OF_TYPE[type] ?? 500, data, new Headers());
      }
    }
  }

  end(): void {
    if (!this.done) throw errors.upstream("Anthropic stream ended before message_stop", { retryable: true });
    // Anthropic opens every stream with message_start; a server claiming its format that does not
    // has sent no answer, which must not pass for an empty one.
    if (!this.started) throw errors.upstream("Anthropic stream ended with no message_start", { retryable: true });
  }
}

/** Anthropic SSE messages → canonical events; `event: error` and a stream cut short throw. */
export function decodeStream(messages: AsyncIterable<SseMessage>): AsyncGenerator<StreamEvent> {
  return decodeSseMessages(messages, new MessageStreamDecoder());
}

/** An Anthropic SSE body → canonical events, grouped per network read (see EVENT_BATCHES). */
export function decodeStreamBody(body: ReadableStream<Uint8Array>): BatchedEvents {
  return decodeSse(body, new MessageStreamDecoder());
}
