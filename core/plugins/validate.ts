// Checks a plugin module's default export against the plugin contract before anything uses it.

import { Kind } from "@sinclair/typebox";
import { describe } from "../errors.ts";
import type { Kit } from "../kit/kit.ts";
import type { PluginDefinition, PluginKind } from "../kit/plugin.ts";
import { fromJsonSchema } from "./json-schema.ts";

const KINDS: readonly PluginKind[] = ["provider", "auth", "fee", "classifier"];

export interface PluginProblem {
  file: string;
  message: string;
  /** Where in `file` the problem is, when the runtime said (a syntax error, an import it could not resolve, a throw as it loaded). */
  at?: { line: number; col: number; offset: number; length: number; sourceLine: string };
  hint?: string;
}

export type ValidationResult = { ok: true; plugin: PluginDefinition } | { ok: false; problem: PluginProblem };

/** Resolves the function-of-kit form, then checks name, kind, settings schema and `create`. */
export function validatePlugin(exported: unknown, file: string, kit: Kit): ValidationResult {
  const fail = (message: string): ValidationResult => ({ ok: false, problem: { file, message } });
  let value = exported;
  if (typeof value === "function") {
    try {
      value = (value as (kit: Kit) => unknown)(kit);
    } catch (error) {
      return fail(`the default export threw when given the kit: ${describe(error)}`);
    }
  }
  if (typeof value !== "object" || value === null) {
    return fail("the default export must be a plugin object or a function of the kit returning one");
  }
  let plugin = value as Record<string, unknown>;
  if (typeof plugin.name !== "string" || plugin.name.trim() === "") return fail("missing `name` (a non-empty string)");
  if (!KINDS.includes(plugin.kind as PluginKind)) {
    return fail(`plugin "${plugin.name}" has kind ${JSON.stringify(plugin.kind)}; expected one of ${KINDS.join(", ")}`);
  }
  if (!isTypeBoxSchema(plugin.settings)) {
    // Plain JSON Schema stands for the TypeBox schema it describes (a plain object has no kit.Type).
    const converted = plugin.settings === undefined ? "there is none" : fromJsonSchema(plugin.settings);
    if (typeof converted === "string") {
      return fail(`plugin "${plugin.name}": \`settings\` must be a TypeBox schema (build it with kit.Type) or plain JSON Schema: ${converted}`);
    }
    plugin = { ...plugin, settings: converted };
  }
  if (typeof plugin.create !== "function") return fail(`plugin "${plugin.name}": \`create\` must be a function`);
  return { ok: true, plugin: plugin as unknown as PluginDefinition };
}

function isTypeBoxSchema(value: unknown): boolean {
  // Kind is a Symbol.for() key, so it also matches a schema built by another copy of TypeBox.
  return typeof value === "object" && value !== null && typeof (value as Record<symbol, unknown>)[Kind] === "string";
}

/** Instance hooks each kind must provide, checked after `create`. */
const REQUIRED_HOOKS: Record<PluginKind, string[]> = {
  provider: ["chat"],
  auth: ["authenticate"],
  fee: ["quote"],
  classifier: ["classify"],
};

export function checkInstance(kind: PluginKind, name: string, instance: unknown): string | null {
  if (typeof instance !== "object" || instance === null) return `plugin "${name}": create() must return an object`;
  for (const hook of REQUIRED_HOOKS[kind]) {
    if (typeof (instance as Record<string, unknown>)[hook] !== "function") {
      return `plugin "${name}": create() returned no \`${hook}\` function`;
    }
  }
  return null;
}
