// The `plugins:` folders of a config text, read before compiling (the plugin catalog the compiler
// needs is built from them). Cheap: the fast parse when it applies; problems are left to the compiler.

import { dirname, resolve } from "node:path";
import { isNode, parseDocument } from "yaml";
import { isRecord } from "./context.ts";
import { substituteEnv } from "./env.ts";
import { fastParse } from "./fast-parse.ts";

/** The value of the config's `plugins:` key, as far as the text says one. */
function pluginsValue(text: string): unknown {
  const fast = fastParse(text);
  if (fast) return isRecord(fast.value) ? fast.value.plugins : undefined;
  // A file with a syntax error still names its folders as far as the parser recovers: without them
  // the compiler, which goes on past the error, would call every plugin of theirs not installed.
  try {
    const doc = parseDocument(text);
    const node = doc.get("plugins", true);
    // Only this key: the library refuses a whole file with more than 100 aliases of an anchor
    // (which the compiler reads), and would have named no folders for it.
    return isNode(node) ? node.toJS(doc) : node;
  } catch {
    return undefined;
  }
}

/** Absolute plugin folders named by the config at `file` (relative ones resolve against its folder). */
export function pluginFolders(text: string, file: string, env: Record<string, string | undefined>): string[] {
  const list = pluginsValue(text);
  if (!Array.isArray(list)) return [];
  const base = dirname(resolve(file));
  return list
    .filter((entry): entry is string => typeof entry === "string")
    .map((entry) => resolve(base, substituteEnv(entry, env).value));
}
