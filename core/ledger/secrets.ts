// Client key secrets: generation and hashing. Only the SHA-256 of a secret is stored; a key is found by it.

import { randomBytes } from "node:crypto";

const KEY_PREFIX = "sk-sy-";
/** Characters of the secret kept in the clear so operators can tell keys apart. */
const VISIBLE = KEY_PREFIX.length + 8;

/** A new secret: `sk-sy-` and 32 random bytes in base64url (43 characters). */
export function newSecret(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** Runs on every authenticated request: Bun's one-shot SHA-256 is a quarter of node:crypto's cost. */
export function hashSecret(secret: string): string {
  return Bun.SHA256.hash(secret, "hex");
}

export function visiblePrefix(secret: string): string {
  return secret.slice(0, VISIBLE);
}

/**
 * Text fit to print back to the operator: a key's secret (or what looks like one) cut to its
 * visible prefix, so that an error about a mistyped or pasted key never echoes the secret.
 */
export function shownSecret(text: string): string {
  return isSecretShaped(text) ? `${visiblePrefix(text)}…` : text;
}

/** In the secrets' form and longer than a visible prefix: only a whole secret can be meant. */
export function isSecretShaped(text: string): boolean {
  return text.startsWith(KEY_PREFIX) && text.length > VISIBLE;
}
