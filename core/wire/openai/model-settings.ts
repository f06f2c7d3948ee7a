// What OpenAI's own models take of a request's settings. Its reasoning models (the o-series, the
// GPT-5 family but its `-chat` models) refuse sampling settings, penalties and stop sequences while
// they reason, and its other models refuse an effort: a request routed there from another dialect,
// or by a fallback, would get a 400 it cannot retry. What a model does not take is left out, as
// OpenRouter ignores a setting its model does not support.

import { createHash } from "node:crypto";
import { budgetEffort, type Effort, type ReasoningOptions } from "../../kit/canonical.ts";

/** Whether an OpenAI model reasons: the o-series, the Codex models and the GPT-5 family, but for its `-chat` models. */
export function reasoningModel(model: string): boolean {
  return /^(o\d|gpt-5|codex)/.test(model) && !model.includes("-chat");
}

/** Whether a model takes sampling settings, penalties and stop sequences: one that is not reasoning now. */
export function samples(model: string, reasoning: ReasoningOptions | undefined): boolean {
  return !reasoningModel(model) || reasoning?.effort === "none";
}

/** The effort to ask a model for: a reasoning model's, from the request's effort or its token budget; none for another. */
export function modelEffort(model: string, reasoning: ReasoningOptions | undefined): Effort | undefined {
  if (!reasoning || !reasoningModel(model)) return undefined;
  return reasoning.effort ?? (reasoning.budgetTokens !== undefined ? budgetEffort(reasoning.budgetTokens) : undefined);
}

/** OpenAI's most stop sequences. */
export const MOST_STOPS = 4;

/**
 * OpenAI takes a `user` of at most 64 characters. A longer one (Claude Code's session id, sent as
 * Anthropic's `metadata.user_id`) goes as its SHA-256 in hex: 64 characters, the same for the same user.
 */
export function openaiUser(user: string): string {
  return user.length <= 64 ? user : createHash("sha256").update(user).digest("hex");
}
