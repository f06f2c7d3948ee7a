// `use:` sections (providers, classifiers, auth, fees): find the plugin, validate its own settings.

import { Kind, type TSchema } from "@sinclair/typebox";
import { requestCatalogue } from "../expr/catalogue.ts";
import { suggestion } from "../expr/did-you-mean.ts";
import { KEYWORDS } from "../expr/lexer.ts";
import type { PluginKind } from "../kit/plugin.ts";
import { withDefaults } from "../plugins/settings.ts";
import type { ClassifierSpec, PluginRef, ProviderSpec } from "./graph.ts";
import { type Context, isRecord, type PluginCatalogEntry } from "./context.ts";
import { PluginUseSchema } from "./schema.ts";
import { pointerOf } from "./source.ts";
import { validateAt, validatorOf } from "./validate.ts";

const closedSchemas = new WeakMap<TSchema, TSchema>();
const pluginUseValidator = validatorOf(PluginUseSchema);

/** Plugin settings reject unknown keys unless the plugin explicitly allows them. */
function closed(schema: TSchema): TSchema {
  if (schema[Kind] !== "Object" || schema.additionalProperties !== undefined) return schema;
  let result = closedSchemas.get(schema);
  if (!result) {
    result = { ...schema, additionalProperties: false };
    closedSchemas.set(schema, result);
  }
  return result;
}

export function resolvePlugin(ctx: Context, kind: PluginKind, raw: unknown, pointer: string): { ref: PluginRef; entry: PluginCatalogEntry } | undefined {
  if (!pluginUseValidator.check(raw)) return undefined; // reported by the config schema
  const { use, ...rest } = raw as { use: string } & Record<string, unknown>;
  const entry = ctx.plugins.get(kind, use);
  if (!entry) {
    const names = ctx.plugins.names(kind);
    const hint = suggestion(use, names) ?? (names.length ? `installed: ${names.join(", ")}` : undefined);
    ctx.source.report("unknown-plugin", `${kind} plugin "${use}" is not installed`, ctx.source.at(`${pointer}/use`), { hint });
    return undefined;
  }
  const schema = closed(entry.settings);
  const settings = withDefaults(schema, rest);
  if (!validateAt(ctx.source, schema, settings, pointer) || !isRecord(settings)) return undefined;
  return { ref: { use, settings }, entry };
}

export interface Providers {
  providers: Map<string, ProviderSpec>;
  /** Names defined but broken (already reported): references to them are not errors again. */
  broken: Set<string>;
}

export function buildProviders(ctx: Context, raw: unknown): Providers {
  const result: Providers = { providers: new Map(), broken: new Set() };
  if (!isRecord(raw)) return result;
  for (const [name, value] of Object.entries(raw)) {
    const resolved = resolvePlugin(ctx, "provider", value, pointerOf("providers", name));
    if (!resolved) {
      result.broken.add(name);
      continue;
    }
    // Only a key that was written (usually `${VAR:-}`) and came out empty means "not configured":
    // a provider with no api_key at all is a keyless local server (Ollama, vLLM, llama.cpp).
    const written = isRecord(value) && "api_key" in value;
    const empty = written && resolved.ref.settings.api_key === "";
    result.providers.set(name, {
      name,
      ...resolved.ref,
      available: !empty,
      ...(empty ? { unavailableReason: "api_key is empty" } : {}),
    });
  }
  return result;
}

/** Request facts and their namespaces (`tokens` of `tokens.input`): a classifier so named would shadow or be shadowed. */
const FACTS = new Set(requestCatalogue(new Map()).names().flatMap((name) => [name, name.split(".")[0]!]));
/** A name token of the expression language with no `.`, which rules read as a fact's field. */
const READABLE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Why rules could not read a classifier of this name as itself, if they could not. */
function unreadableName(name: string): string | undefined {
  if (KEYWORDS.has(name)) return `classifier "${name}" is named after a keyword of the expression language`;
  if (FACTS.has(name)) return `classifier "${name}" has the name of a request fact, which rules would read instead`;
  if (name.includes(".")) return `classifier "${name}" has a ".", which rules read as a fact's field`;
  if (!READABLE.test(name)) return `classifier "${name}" has a name rules cannot read`;
  return undefined;
}

export function buildClassifiers(ctx: Context, raw: unknown): { classifiers: Map<string, ClassifierSpec>; broken: Set<string> } {
  const classifiers = new Map<string, ClassifierSpec>();
  const broken = new Set<string>();
  if (!isRecord(raw)) return { classifiers, broken };
  for (const [name, value] of Object.entries(raw)) {
    const pointer = pointerOf("classifiers", name);
    const unreadable = unreadableName(name);
    if (unreadable) {
      ctx.source.report("reserved-name", unreadable, ctx.source.at(pointer, "key"), {
        hint: "rename it: letters, digits, _ and -, starting with a letter, and not a request fact (model, stream, tokens, max_tokens, tools, images, key, header) or a keyword (and, or, not, in, true, false)",
      });
      continue;
    }
    const resolved = resolvePlugin(ctx, "classifier", value, pointer);
    if (!resolved) {
      broken.add(name);
      continue;
    }
    let labels: readonly string[] | undefined;
    try {
      labels = resolved.entry.labels?.(resolved.ref.settings);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.source.report("invalid-plugin", `classifier "${name}" rejected its settings: ${message}`, ctx.source.at(pointer));
      broken.add(name);
      continue;
    }
    classifiers.set(name, { name, ...resolved.ref, ...(labels ? { labels } : {}) });
  }
  return { classifiers, broken };
}

/** `auth:` / `fees:`: absent means `{ use: none }`. */
export function buildSingle(ctx: Context, kind: "auth" | "fee", raw: unknown, key: string): PluginRef {
  if (raw === undefined) return { use: "none", settings: {} };
  return resolvePlugin(ctx, kind, raw, pointerOf(key))?.ref ?? { use: "none", settings: {} };
}
