// Forwarding the client's own body to a vendor of its dialect (Chat Completions to an OpenAI-
// compatible vendor, Messages to Anthropic). Serialising a request costs more than everything else
// the gateway does to it (about 20 µs for a 30 KB agent turn, far more under load), and when the
// client already spoke the vendor's dialect its text usually says exactly what our encoding would.
// Then the vendor gets that text with only the model swapped (and the max-tokens field renamed, or
// a missing field added, when the vendor wants that): a few µs of searching instead.
//
// The edits are made on the body's UTF-8 bytes: the byte search is native and several times faster
// than a string search, and the vendor gets bytes either way (an edited string would be flattened
// and encoded at send time, which cost more than the search it saved).
//
// Safety rests on two checks. The encoding must equal the client's JSON value for value (keys in
// any order), apart from the edits below; anything else, a capped max_tokens or an OpenRouter-only
// field, falls back to serialising. And each key edited must occur once in the whole text, so that
// the one occurrence is the top-level key; a key spelled with a \u escape, which that search
// cannot read, falls back too (escapes in values do not). A client field our encoding leaves out
// because it says what leaving it out says (`n: 1` in Chat Completions, `stream: false` in
// Messages, as some SDKs always send) may stay in the text: every vendor of the dialect reads it so,
// and so may a form the dialect reads as our encoding's (Messages' string for one text block).

import { CLIENT_BODY, type ChatRequest, type ClientBody } from "../kit/canonical.ts";

/** What forwarding needs to know of a dialect. */
export interface ForwardRules {
  dialect: ClientBody["dialect"];
  /** Names of one field, any of which the vendor may want instead of the client's (the max-tokens field). */
  aliases: readonly string[];
  /** Client fields whose value is the API's default: the encoding leaves them out, the forward may keep them. */
  defaults: ReadonlyMap<string, unknown>;
  /** Forms of one value the dialect reads alike (see sameJson). */
  equivalence?: Equivalence;
}

export const OPENAI_FORWARD: ForwardRules = {
  dialect: "openai",
  aliases: ["max_tokens", "max_completion_tokens"],
  defaults: new Map<string, unknown>([["n", 1], ["logprobs", false]]),
};

export const ANTHROPIC_FORWARD: ForwardRules = {
  dialect: "anthropic",
  aliases: [],
  defaults: new Map([["stream", false]]),
  equivalence: textShorthand,
};

/**
 * Shorter client bodies are serialised anew: checking and editing one costs about 1 µs whatever
 * its size, more than serialising a few KB of it.
 */
const FORWARD_MIN_CHARS = 4096;

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const OPEN_BRACE = 123;

/**
 * What goes to the vendor: the client's body edited to say what `encoded` says when that is safe
 * and worth it, else `encoded` serialised. With `reusable`, forwarded bytes are in a buffer that
 * the next call overwrites: only for a sender that copies them before it returns, as Bun's fetch does.
 */
export function vendorBody(request: ChatRequest, encoded: Record<string, unknown>, rules: ForwardRules, reusable = false): string | Uint8Array<ArrayBuffer> {
  const forward = (request[CLIENT_BODY]?.text.length ?? 0) >= FORWARD_MIN_CHARS;
  return (forward && forwardedBody(request, encoded, rules, reusable)) || JSON.stringify(encoded);
}

/** The client's body edited to say what `encoded` says, as UTF-8, or null when it cannot be done safely (see vendorBody). */
export function forwardedBody(request: ChatRequest, encoded: Record<string, unknown>, rules: ForwardRules, reusable = false): Uint8Array<ArrayBuffer> | null {
  const client = request[CLIENT_BODY];
  if (!client || client.dialect !== rules.dialect) return null;
  const { json, text } = client;
  const { aliases, defaults } = rules;
  const renames: [from: string, to: string][] = [];
  const inserts: string[] = [];
  let matched = 0;
  for (const key in encoded) {
    const value = encoded[key];
    if (value === undefined || key === "model") continue;
    if (key in json) {
      if (!sameJson(json[key], value, rules.equivalence)) return null;
      matched++;
      continue;
    }
    const renamed = aliases.includes(key) ? aliases.find((field) => field !== key && field in json) : undefined;
    if (renamed !== undefined) {
      if (json[renamed] !== value) return null;
      renames.push([renamed, key]);
      matched++;
    } else {
      inserts.push(`${JSON.stringify(key)}:${JSON.stringify(value)},`);
    }
  }
  // Every client field but `model` must be accounted for: no field of the client's may be dropped.
  let clientFields = 0;
  for (const key in json) {
    const value = json[key];
    if (value === undefined || key === "model" || (defaults.get(key) === value && !(key in encoded))) continue;
    clientFields++;
  }
  if (clientFields !== matched || typeof json.model !== "string") return null;

  const bytes = utf8(text);
  if (hasEscapedKey(bytes)) return null;
  const modelAt = uniqueKey(bytes, "model");
  if (modelAt < 0) return null;
  const valueStart = skipSpace(bytes, skipSpace(bytes, modelAt + '"model"'.length) + 1); // past the colon
  const valueEnd = stringEnd(bytes, valueStart);
  if (valueEnd < 0) return null;
  const open = skipSpace(bytes, 0);
  if (bytes[open] !== OPEN_BRACE) return null;
  const edits: Edit[] = [
    [open + 1, open + 1, inserts.join("")],
    [valueStart, valueEnd + 1, JSON.stringify(encoded.model)],
  ];
  for (const [from, to] of renames) {
    const at = uniqueKey(bytes, from);
    if (at < 0) return null;
    edits.push([at, at + from.length + 2, JSON.stringify(to)]);
  }
  return applyEdits(bytes, edits, reusable);
}

type Edit = [start: number, end: number, replacement: string];

/** Bodies up to this size are encoded into one reused buffer; a larger one gets its own. */
const SCRATCH_LIMIT = 1024 * 1024;
const PAGE = 4096;

/**
 * The two reused buffers: `scratch` for the text's bytes, `output` for the edited body (when the
 * caller may have it overwritten by the next call). They are one allocation, the output half a
 * page past a page boundary from the scratch. A copy between buffers whose addresses differ by a
 * multiple of 4 KiB plus a few bytes runs 15–20 times slower on the x86 CPUs we measured (its loads
 * alias its own recent stores: "4K aliasing"), and two same-sized buffers allocated one after the
 * other sat exactly 512 KiB apart, so the body's tail, copied 3 bytes further on for a model name 3
 * bytes longer, took 13–22 µs for 36 KB instead of 1. Half a page apart, a copy stays clear of it
 * unless the edits move the tail by about 2 KB.
 */
function reusedBuffers(capacity: number): { scratch: Buffer; output: Buffer } {
  const size = Math.ceil(capacity / PAGE) * PAGE;
  const arena = Buffer.allocUnsafeSlow(2 * size + PAGE / 2);
  return { scratch: arena.subarray(0, size), output: arena.subarray(size + PAGE / 2) };
}

let { scratch, output } = reusedBuffers(64 * 1024);

/** Room for `bytes` in both reused buffers (always of one size), grown together so that they keep their spacing. */
function reserve(bytes: number): void {
  if (scratch.length >= bytes) return;
  ({ scratch, output } = reusedBuffers(Math.min(SCRATCH_LIMIT, Math.max(bytes, scratch.length * 2))));
}

/**
 * The text as UTF-8, in a buffer that the next call overwrites: everything here reads it and
 * copies what it keeps before returning. A fresh 30 KB buffer per request cost ten times the
 * encoding itself (in-process, 11–14 µs against 1), all of it allocation.
 */
function utf8(text: string): Buffer {
  const most = text.length * 3; // UTF-8 bytes per UTF-16 unit, at most
  if (most > SCRATCH_LIMIT) return Buffer.from(text);
  reserve(most);
  return scratch.subarray(0, scratch.write(text));
}

/**
 * The bytes with each edit's range replaced by its text, built in one buffer (see forwardedBody
 * for `reusable`). Copies and writes go by offset: a view per piece cost more than the copying.
 */
function applyEdits(bytes: Buffer, edits: Edit[], reusable: boolean): Uint8Array<ArrayBuffer> {
  edits.sort((a, b) => a[0] - b[0]);
  let size = bytes.length;
  for (const [start, end, text] of edits) size += Buffer.byteLength(text) - (end - start);
  let out: Buffer;
  if (reusable && size <= SCRATCH_LIMIT) {
    // A fresh 30 KB array costs several times the copy into it (in-process, about 5 µs a request).
    // Grown here only for edits that outgrew the text's own room; `bytes` then stays where it was.
    reserve(size);
    out = output;
  } else {
    out = Buffer.allocUnsafe(size);
  }
  let from = 0;
  let at = 0;
  for (const [start, end, text] of edits) {
    at += bytes.copy(out, at, from, start);
    at += out.write(text, at);
    from = end;
  }
  bytes.copy(out, at, from);
  return out.subarray(0, size) as Uint8Array<ArrayBuffer>;
}

/** The search tokens, encoded once: a string needle is encoded again on every search. */
const TOKENS = new Map<string, Buffer>();
const ESCAPE = Buffer.from("\\u");

/**
 * Where `"key"` followed by a colon starts, if it is a key exactly once in the body; -1 otherwise.
 * A quote not after a backslash is a string's delimiter, and it cannot close one when a letter
 * follows, so such a match is the string token `"key"`; a colon after it makes it a key.
 */
export function uniqueKey(bytes: Buffer, key: string): number {
  let token = TOKENS.get(key);
  if (!token) TOKENS.set(key, (token = Buffer.from(`"${key}"`)));
  let found = -1;
  for (let at = bytes.indexOf(token); at >= 0; at = bytes.indexOf(token, at + token.length)) {
    if (at > 0 && bytes[at - 1] === BACKSLASH) return -1;
    if (bytes[skipSpace(bytes, at + token.length)] !== COLON) continue; // a string value, not a key
    if (found >= 0) return -1;
    found = at;
  }
  return found;
}

/**
 * Whether a key is spelled with a \u escape: it could hide a duplicate of a key edited here from
 * the byte search. Values may hold escapes, and often do: clients that write non-ASCII text as
 * \u escapes (Python's json by default), Go's encoder writing `<`, `>` and `&` so. A backslash
 * only occurs inside a string in JSON, so the quote closing the escape's string is the next one
 * not escaped, and a colon after it makes the string a key. One search a string, not an escape.
 */
function hasEscapedKey(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(ESCAPE); at >= 0; ) {
    const end = closingQuote(bytes, at);
    if (end < 0 || bytes[skipSpace(bytes, end + 1)] === COLON) return true;
    at = bytes.indexOf(ESCAPE, end + 1);
  }
  return false;
}

/** The index of the quote closing the string that opens at `start`, or -1. */
function stringEnd(bytes: Buffer, start: number): number {
  if (start < 0 || bytes[start] !== QUOTE) return -1;
  return closingQuote(bytes, start + 1);
}

/** The first quote at or after `from` that no backslash escapes: the end of the string `from` is in. */
function closingQuote(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(QUOTE, from); at >= 0; at = bytes.indexOf(QUOTE, at + 1)) {
    let slashes = 0;
    while (bytes[at - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
  }
  return -1;
}

function skipSpace(bytes: Uint8Array, at: number): number {
  for (let code = bytes[at]; code === 32 || code === 9 || code === 10 || code === 13; code = bytes[++at]);
  return at;
}

/**
 * JSON equality: the same values, object keys in any order, undefined members absent. Where the
 * values differ, `same` may still call them equal: two forms the dialect says mean one thing.
 */
export function sameJson(a: unknown, b: unknown, same?: Equivalence): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return same?.(a, b) ?? false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return same?.(a, b) ?? false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], same)) return false;
    return true;
  }
  if (Array.isArray(b)) return same?.(a, b) ?? false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (left[key] === undefined) continue;
    if (!sameJson(left[key], right[key], same)) return false;
    count++;
  }
  for (const key in right) if (right[key] !== undefined) count--;
  return count === 0;
}

/** Two JSON values a dialect reads alike although they differ: asked only where they differ. */
export type Equivalence = (a: unknown, b: unknown) => boolean;

/**
 * Messages' shorthand: a string says what one text block holding it, and nothing else, says. The
 * encoding writes a string for such content in some places and the block in others (a system
 * prompt, a message, a tool result), as clients do; only content can take either form.
 */
function textShorthand(a: unknown, b: unknown): boolean {
  const [text, blocks] = typeof a === "string" ? [a, b] : [b, a];
  if (typeof text !== "string" || !Array.isArray(blocks) || blocks.length !== 1) return false;
  const block = blocks[0] as Record<string, unknown> | null;
  if (typeof block !== "object" || block === null || block.type !== "text" || block.text !== text) return false;
  for (const key in block) if (key !== "type" && key !== "text" && block[key] !== undefined) return false;
  return true;
}
