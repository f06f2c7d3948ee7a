// Freeform tools (OpenAI's `custom` tools, as Codex's apply_patch is): the model writes plain text,
// not JSON arguments. Canonically such a tool is a function of one string parameter, `input`, so
// that every vendor can serve it; the Responses API's own items carry the text as it is.

import type { ToolDefinition } from "../../kit/canonical.ts";

/** The one parameter of a freeform tool as a function; a grammar the vendor cannot enforce is told in words. */
export function freeformParameters(format: Record<string, unknown> | undefined): Record<string, unknown> {
  const grammar = format?.type === "grammar" && typeof format.definition === "string" ? format : undefined;
  const description = grammar
    ? `The tool's input, as plain text in this ${String(grammar.syntax)} grammar:\n${grammar.definition as string}`
    : "The tool's input, as plain text";
  return { type: "object", properties: { input: { type: "string", description } }, required: ["input"], additionalProperties: false };
}

/** A freeform call's text as the canonical call's JSON arguments. */
export function freeformArguments(input: string): string {
  return JSON.stringify({ input });
}

/**
 * The same arguments written as the text streams: the opening with the text so far, each piece
 * after it, and the close, which together are `freeformArguments` of the whole text.
 */
export const freeformStream = {
  open: (input: string) => `{"input":"${jsonText(input)}`,
  piece: (text: string) => jsonText(text),
  close: '"}',
};

/** Text as it stands inside a JSON string literal. */
function jsonText(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** A canonical call's text for a freeform tool: its `input`, or the arguments as they came when a vendor wrote something else. */
export function freeformInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as { input?: unknown }).input === "string") return (parsed as { input: string }).input;
  } catch {
    // Cut short (the answer's token cap): the text so far, without the wrapper around it.
    if (args.startsWith(OPENING)) return cutText(args.slice(OPENING.length));
  }
  return args;
}

const OPENING = '{"input":"';

/** A string literal's text cut anywhere, an escape left half-written included: what of it reads whole. */
function cutText(literal: string): string {
  for (let drop = 0; drop <= 6 && drop <= literal.length; drop++) {
    try {
      return JSON.parse(`"${literal.slice(0, literal.length - drop)}"`) as string;
    } catch {}
  }
  return literal;
}

/** The names of a request's freeform tools, or null when it has none (nearly every request). */
export function freeformNames(tools: readonly ToolDefinition[] | undefined): ReadonlySet<string> | null {
  let names: Set<string> | null = null;
  for (const tool of tools ?? []) if (tool.freeform) (names ??= new Set()).add(tool.name);
  return names;
}
