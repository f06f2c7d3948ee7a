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
