// Anthropic SSE (message_start … message_stop) → canonical stream events, for the provider.

import { errors } from "../../errors.ts";
import type { FinishReason, StreamEvent, Usage } from "../../kit/canonical.ts";
import type { SseMessage } from "../../kit/sse.ts";
import { decodeError, STATUS_OF_TYPE } from "./errors.ts";
import { decodeUsage, finishFromStopReason, type AnthropicUsage } from "./response.ts";

interface StreamData {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string; thinking?: string };
  delta?: { type?: string; text?: string; partial_json?: string; thinking?: string; signature?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

class StreamState {
  usage: AnthropicUsage = {};
  stopReason: string | null = null;
  /** Anthropic content-block index → canonical tool-call index. */
  toolIndex = new Map<number, number>();
  tools = 0;

  mergeUsage(usage: AnthropicUsage | undefined): void {
    // message_delta usage counters are cumulative totals: overwrite what is present, never add.
    if (!usage) return;
    for (const key of ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"] as const) {
      const value = usage[key];
      if (typeof value === "number") this.usage[key] = value;
    }
  }
}

function* blockStart(data: StreamData, state: StreamState): Generator<StreamEvent> {
  const block = data.content_block ?? {};
  if (block.type === "text" && block.text) yield { type: "text", text: block.text };
  else if (block.type === "thinking" && block.thinking) yield { type: "reasoning", text: block.thinking };
  else if (block.type === "tool_use") {
    const index = state.tools++;
    state.toolIndex.set(data.index ?? 0, index);
    yield { type: "tool_call_start", index, id: block.id ?? "", name: block.name ?? "" };
  }
}

function* blockDelta(data: StreamData, state: StreamState): Generator<StreamEvent> {
  const delta = data.delta ?? {};
  switch (delta.type) {
    case "text_delta":
      if (delta.text) yield { type: "text", text: delta.text };
      return;
    case "thinking_delta":
      if (delta.thinking) yield { type: "reasoning", text: delta.thinking };
      return;
    case "signature_delta":
      if (delta.signature) yield { type: "reasoning", text: "", signature: delta.signature };
      return;
    case "input_json_delta": {
      const index = state.toolIndex.get(data.index ?? 0);
      if (index !== undefined && delta.partial_json) yield { type: "tool_call_delta", index, arguments: delta.partial_json };
      return;
    }
  }
}

function parse(message: SseMessage): StreamData {
  try {
    return JSON.parse(message.data) as StreamData;
  } catch (cause) {
    throw errors.upstream(`Anthropic sent an unreadable stream event (${message.event})`, { cause, retryable: true });
  }
}

/** Anthropic stream events as canonical events; `event: error` and a stream cut short throw. */
export async function* decodeStream(messages: AsyncIterable<SseMessage>): AsyncGenerator<StreamEvent> {
  const state = new StreamState();
  for await (const message of messages) {
    const data = parse(message);
    switch (data.type ?? message.event) {
      case "message_start":
        state.mergeUsage(data.message?.usage);
        yield { type: "start", id: data.message?.id ?? "", model: data.message?.model ?? "" };
        break;
      case "content_block_start":
        yield* blockStart(data, state);
        break;
      case "content_block_delta":
        yield* blockDelta(data, state);
        break;
      case "message_delta":
        if (data.delta?.stop_reason) state.stopReason = data.delta.stop_reason;
        state.mergeUsage(data.usage);
        break;
      case "message_stop": {
        const usage: Usage = decodeUsage(state.usage);
        const reason: FinishReason = finishFromStopReason(state.stopReason);
        yield { type: "usage", usage };
        yield { type: "finish", reason, ...(state.stopReason ? { native: state.stopReason } : {}) };
        return;
      }
      case "error": {
        const type = data.error?.type ?? "api_error";
        throw decodeError(STATUS_OF_TYPE[type] ?? 500, data, new Headers());
      }
    }
  }
  throw errors.upstream("Anthropic stream ended before message_stop", { retryable: true });
}
