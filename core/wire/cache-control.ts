// Prompt-cache breakpoints as both dialects write them: Anthropic's `cache_control` on blocks and
// tools, which OpenRouter takes on OpenAI text parts too. One shape on the wire, `ttl` kept.

import { Type, type Static } from "@sinclair/typebox";
import type { CacheControl } from "../kit/canonical.ts";

/** `{"type":"ephemeral","ttl":"1h"}`; null where a client writes it for no breakpoint. */
export const CacheControlBody = Type.Optional(
  Type.Union([Type.Object({ type: Type.String(), ttl: Type.Optional(Type.String()) }, { additionalProperties: true }), Type.Null()]),
);

/** A block or tool as the schemas above check it: `cache_control` is the one member read here. */
export interface CacheControlField {
  cache_control?: Static<typeof CacheControlBody>;
}

/** The breakpoint a block carries, if any. */
export function decodeCacheControl(raw: CacheControlField["cache_control"]): CacheControl | undefined {
  if (!raw) return undefined;
  return raw.ttl === undefined ? {} : { ttl: raw.ttl };
}

/** The wire form of a breakpoint: Anthropic's one kind, "ephemeral". */
export function encodeCacheControl(mark: CacheControl): { type: "ephemeral"; ttl?: string } {
  return mark.ttl === undefined ? { type: "ephemeral" } : { type: "ephemeral", ttl: mark.ttl };
}
