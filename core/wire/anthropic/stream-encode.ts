// Canonical stream events → Anthropic SSE, in the exact event order the Anthropic SDKs accumulate.

import type { SwitchyardError } from "../../errors.ts";
import type { FinishReason, StreamEvent, Usage } from "../../kit/canonical.ts";
import { formatSse } from "../../kit/sse.ts";
import { encodeError } from "./errors.ts";
import { encodeUsage, stopReasonFor, withCost } from "./response.ts";
import { openaiSignature } from "./thinking.ts";

/** `server`: a block of Anthropic's own (a server tool's call or result), as the vendor began it. */
type BlockKind = "text" | "thinking" | "redacted_thinking" | "tool_use" | "server";

function frame(event: string, data: Record<string, unknown>): string {
  return `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
}

export class StreamEncoder {
  private readonly info: { id: string; model: string };
  private started = false;
  private blocks = 0;
  /** `signed`: a thinking block got its signature, so more reasoning is another block. */
  private open: { index: number; kind: BlockKind; signed?: boolean } | undefined;
  /** Canonical tool-call index → Anthropic content-block index. */
  private readonly toolBlocks = new Map<number, number>();
  private finish: FinishReason = "stop";
  private native: string | undefined;
  private stopSequence: string | null = null;

  constructor(info: { id: string; model: string }) {
    this.info = info;
  }

  /** The SSE text for one canonical event; "" when it says nothing to an Anthropic client. */
  encode(event: StreamEvent): string {
    switch (event.type) {
      case "start":
        return this.start(event.usage);
      case "text":
      case "refusal": // Messages has no refusal of its own: it is what the model said
        if (event.text === "") return "";
        return this.start() + this.openBlock("text", { type: "text", text: "" }) + this.delta({ type: "text_delta", text: event.text });
      case "reasoning": {
        const block = { type: "thinking", thinking: "", signature: "" };
        let out = this.start() + (this.open?.signed ? this.newBlock("thinking", block) : this.openBlock("thinking", block));
        if (event.text) out += this.delta({ type: "thinking_delta", thinking: event.text });
        if (event.signature) {
          out += this.delta({ type: "signature_delta", signature: event.signature });
          this.open!.signed = true;
        }
        return out;
      }
      case "redacted_reasoning":
        return this.start() + this.newBlock("redacted_thinking", { type: "redacted_thinking", data: event.data });
      case "tool_call_start": {
        // Every call gets a block of its own, even right after another call's.
        const out = this.start() + this.newBlock("tool_use", { type: "tool_use", id: event.id, name: event.name, input: {} });
        this.toolBlocks.set(event.index, this.open!.index);
        return out;
      }
      case "tool_call_delta": {
        const index = this.toolBlocks.get(event.index);
        if (index === undefined || event.arguments === "") return "";
        return frame("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: event.arguments } });
      }
      case "reasoning_item":
        // OpenAI's, encrypted for it alone: the client keeps it as the thinking block's signature.
        return this.encode({ type: "reasoning", text: "", signature: openaiSignature(event) });
      case "anthropic_block":
        // A text block's start only says that the text before it was a block of its own.
        return this.start() + this.newBlock(event.block.type === "text" ? "text" : "server", event.block);
      case "anthropic_delta":
        // A citation belongs to a text block: it may come before the block's first text.
        if (event.delta.type === "citations_delta") return this.start() + this.openBlock("text", { type: "text", text: "" }) + this.delta(event.delta);
        return this.open?.kind === "server" ? this.delta(event.delta) : "";
      case "finish":
        this.finish = event.reason;
        this.native = event.native;
        this.stopSequence = event.stopSequence ?? null;
        return "";
      case "usage":
        return "";
    }
  }

  /** Closes the open block and the message: message_delta (stop_reason, usage), then message_stop. */
  end(usage: Usage | undefined, costUsd?: number): string {
    const out = this.start() + this.closeBlock();
    const delta = { stop_reason: stopReasonFor(this.finish, this.native), stop_sequence: this.stopSequence };
    return out + frame("message_delta", { delta, usage: withCost(encodeUsage(usage), costUsd) }) + frame("message_stop", {});
  }

  /** An `event: error` frame in Anthropic's error shape, for failures after the stream began. */
  error(error: SwitchyardError): string {
    return formatSse(JSON.stringify(encodeError(error)), "error");
  }

  /** `usage`: the prompt's counts, where the vendor gave them as it opened; else none are known yet. */
  private start(usage?: Usage): string {
    if (this.started) return "";
    this.started = true;
    const message = {
      id: this.info.id,
      type: "message",
      role: "assistant",
      model: this.info.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage ? encodeUsage(usage) : { input_tokens: 0, output_tokens: 0 },
    };
    return frame("message_start", { message }) + frame("ping", {});
  }

  /** Continues the open block when it is of this kind, else starts one. */
  private openBlock(kind: "text" | "thinking", block: Record<string, unknown>): string {
    return this.open?.kind === kind ? "" : this.newBlock(kind, block);
  }

  private newBlock(kind: BlockKind, block: Record<string, unknown>): string {
    const out = this.closeBlock();
    const index = this.blocks++;
    this.open = { index, kind };
    return out + frame("content_block_start", { index, content_block: block });
  }

  private closeBlock(): string {
    if (!this.open) return "";
    const index = this.open.index;
    this.open = undefined;
    return frame("content_block_stop", { index });
  }

  private delta(delta: Record<string, unknown>): string {
    return frame("content_block_delta", { index: this.open!.index, delta });
  }
}
