// A tool call's id as a vendor will take it back. Vendors restrict the ids they are sent: Anthropic
// to letters, digits, `_` and `-`; OpenAI to 40 characters; Mistral to nine letters and digits. An id another vendor made (Kimi's
// `functions.Bash:0`, a long synthesized one) meets them when a conversation moves between vendors,
// and is rewritten the same way at the call and at its result, with a short hash of the original so
// that two ids never become one. An id that already fits goes as it is.

import { createHash } from "node:crypto";

const HASH_CHARS = 8;

/** The first `length` hex digits of `id`'s SHA-256: the same id, the same digits. */
export const idHash = (id: string, length: number) => createHash("sha256").update(id).digest("hex").slice(0, length);

/** `id` with the characters `invalid` matches (a global pattern) made `_`, and at most `maxLength` long. */
export function fittedToolId(id: string, invalid: RegExp | null, maxLength = Infinity): string {
  const clean = invalid ? id.replace(invalid, "_") : id;
  if (clean === id && id.length > 0 && id.length <= maxLength) return id;
  return `${clean.slice(0, Math.max(0, maxLength - HASH_CHARS - 1))}_${idHash(id, HASH_CHARS)}`;
}
