// Thinking blocks ⇄ canonical reasoning blocks. Anthropic checks each thinking block's signature,
// and only it can read a redacted block, so a turn that had several blocks or a redacted one is
// replayed block by block; one signed block still travels as reasoning text and its signature.

import type { ReasoningBlock } from "../../kit/canonical.ts";

/** Whether one text and one signature cannot carry these blocks. */
export function needsBlocks(blocks: readonly ReasoningBlock[]): boolean {
  return blocks.length > 1 || blocks.some((block) => block.type === "redacted");
}

/** A canonical reasoning block as Anthropic's content block. */
export function encodeReasoningBlock(block: ReasoningBlock): Record<string, unknown> & { type: string } {
  return block.type === "thinking"
    ? { type: "thinking", thinking: block.text, signature: block.signature }
    : { type: "redacted_thinking", data: block.data };
}
