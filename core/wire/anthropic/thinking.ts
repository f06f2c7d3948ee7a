// Thinking blocks ⇄ canonical reasoning, for requests and responses alike. Anthropic checks each
// thinking block's signature, and only it can read a redacted block, so a turn that had several
// blocks or a redacted one is replayed block by block; one signed block travels as the reasoning
// text and its signature.

import type { ReasoningBlock } from "../../kit/canonical.ts";

type AnthropicBlock = Exclude<ReasoningBlock, { type: "openai" }>;
type OpenaiBlock = Extract<ReasoningBlock, { type: "openai" }>;

/**
 * OpenAI's encrypted reasoning item as a thinking block's signature, `openai:<id>:<content>`: an
 * Anthropic client keeps the block and sends it back whole, so a tool loop routed to OpenAI's
 * Responses API gets its reasoning back as OpenAI asks; Anthropic itself never gets it (its
 * signatures have no colon).
 */
const OPENAI_MARK = "openai:";
export const openaiSignature = (block: { id: string; encrypted: string }): string => `${OPENAI_MARK}${block.id}:${block.encrypted}`;

function openaiBlock(signature: string): OpenaiBlock | undefined {
  if (!signature.startsWith(OPENAI_MARK)) return undefined;
  const rest = signature.slice(OPENAI_MARK.length);
  const colon = rest.indexOf(":");
  return colon < 0 ? undefined : { type: "openai", id: rest.slice(0, colon), encrypted: rest.slice(colon + 1) };
}

interface Reasoning {
  reasoning?: string;
  reasoningSignature?: string;
  reasoningBlocks?: ReasoningBlock[];
}

/** Reads a message's thinking and redacted_thinking blocks, in order, into canonical reasoning. */
export class ThinkingReader {
  private readonly blocks: ReasoningBlock[] = [];
  private text: string | undefined;
  private signature: string | undefined;

  /** Takes the block if it is a thinking block of either kind; false for any other block. */
  read(block: { type: string; thinking?: string; signature?: string; data?: string }): boolean {
    if (block.type === "thinking") {
      const thinking = block.thinking ?? "";
      this.text = (this.text ?? "") + thinking;
      const openai = block.signature ? openaiBlock(block.signature) : undefined;
      if (openai) this.blocks.push(openai);
      else {
        if (block.signature) this.signature = block.signature;
        this.blocks.push({ type: "thinking", text: thinking, signature: block.signature ?? "" });
      }
      return true;
    }
    if (block.type === "redacted_thinking") {
      if (typeof block.data === "string") this.blocks.push({ type: "redacted", data: block.data });
      return true;
    }
    return false;
  }

  /** Sets what was read on the message or response; the blocks only when one text and one signature cannot carry them. */
  into(target: Reasoning): void {
    if (this.text !== undefined) target.reasoning = this.text;
    if (this.signature !== undefined) target.reasoningSignature = this.signature;
    if (this.blocks.length > 1 || this.blocks.some((block) => block.type !== "thinking")) target.reasoningBlocks = this.blocks;
  }
}

/**
 * Whether Anthropic signed it. Its signatures are bare base64: an empty one was never signed, and
 * one with a colon is another vendor's, marked so by its provider (Gemini's `gemini:`).
 */
const signedHere = (signature: string | undefined): boolean => !!signature && !signature.includes(":");

/**
 * The content blocks for a message's or response's reasoning. `unsigned` allows a thinking block
 * Anthropic did not sign: our own clients keep one to send back, the vendor refuses it (so it is
 * dropped there).
 */
export function thinkingBlocks(source: Reasoning, options: { unsigned: boolean }): Record<string, unknown>[] {
  // A client keeps OpenAI's encrypted reasoning in its blocks' signatures, the text in the first.
  const openai = options.unsigned ? source.reasoningBlocks?.filter((block): block is OpenaiBlock => block.type === "openai") : undefined;
  if (openai?.length) return openai.map((block, at) => ({ type: "thinking", thinking: at === 0 ? (source.reasoning ?? "") : "", signature: openaiSignature(block) }));
  // To Anthropic, another vendor's blocks (OpenAI's encrypted reasoning) mean nothing: its text is all that goes.
  const own = source.reasoningBlocks?.filter(
    (block): block is AnthropicBlock => block.type === "redacted" || (block.type === "thinking" && (options.unsigned || signedHere(block.signature))),
  );
  if (own?.length) {
    return own.map((block) =>
      block.type === "thinking"
        ? { type: "thinking", thinking: block.text, signature: block.signature }
        : { type: "redacted_thinking", data: block.data },
    );
  }
  if (source.reasoning === undefined || !(options.unsigned || signedHere(source.reasoningSignature))) return [];
  return [{ type: "thinking", thinking: source.reasoning, signature: source.reasoningSignature ?? "" }];
}
