// The `plugins:` folders of a config text, read before compiling (the plugin catalog the compiler
// needs is built from them). Cheap: the fast parse when it applies; problems are left to the compiler.

import { dirname, resolve } from "node:path";
import { parseDocument } from "yaml";
import { substituteEnv } from "./env.ts";
import { fastParse } from "./fast-parse.ts";

function parsed(text: string): unknown {
  const fast = fastParse(text);
  if (fast) return fast.value;
  // A file with a syntax error still names its folders as far as the parser recovers: without them
  // the compiler, which goes on past the error, would call every plugin of theirs not installed.
  try {
    return parseDocument(text).toJS();
  } catch {
    return undefined;
  }
}

/** Absolute plugin folders named by the config at `file` (relative ones resolve against its folder). */
export function pluginFolders(text: string, file: string, env: Record<string, string | undefined>): string[] {
  const doc = parsed(text);
  const list = typeof doc === "object" && doc !== null && "plugins" in doc ? doc.plugins : undefined;
  if (!Array.isArray(list)) return [];
  const base = dirname(resolve(file));
  return list
    .filter((entry): entry is string => typeof entry === "string")
    .map((entry) => resolve(base, substituteEnv(entry, env).value));
}
