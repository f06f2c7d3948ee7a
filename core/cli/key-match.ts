// Which key `keys disable` means: the whole secret the user was given, a key's id or shown prefix,
// or the start of either when only one key has it. What it prints back never holds a secret.

import { isSecretShaped, shownSecret } from "../ledger/secrets.ts";
import type { KeyRecord, KeyStore } from "../ledger/types.ts";

export type KeyMatch = { key: KeyRecord } | { problem: string };

export async function matchKey(keys: KeyStore, target: string): Promise<KeyMatch> {
  // A secret is found by its hash, as auth finds it; a secret that is no key's is not matched by its
  // visible prefix, which might name another key than the one the user meant.
  const bySecret = await keys.bySecret(target);
  if (bySecret) return { key: bySecret };
  if (isSecretShaped(target)) return { problem: `no key has the secret ${shownSecret(target)} (give the whole secret, or the key's id or prefix from \`keys list\`)` };
  const list = await keys.list();
  const exact = list.find((k) => k.id === target || k.prefix === target);
  if (exact) return { key: exact };
  const matches = list.filter((k) => k.id.startsWith(target) || k.prefix.startsWith(target));
  if (matches.length === 1) return { key: matches[0]! };
  if (matches.length === 0) return { problem: `no key matches ${shownSecret(target)}` };
  const lines = matches.map((k) => `  ${k.id}  ${k.prefix}…  "${k.name}"${k.disabled ? " (disabled)" : ""}`);
  return { problem: `${target} matches ${matches.length} keys: give more of it\n${lines.join("\n")}` };
}
