// State shared by the section compilers: the source (for positions) and the plugin catalog.

import type { TSchema } from "@sinclair/typebox";
import { durationMs, TIMER_MAX_MS } from "../duration.ts";
import { compileExpression } from "../expr/compile.ts";
import type { CompiledExpression, FactCatalogue } from "../expr/types.ts";
import type { PluginKind } from "../kit/plugin.ts";
import type { ConfigSource } from "./source.ts";

export interface PluginCatalogEntry {
  kind: PluginKind;
  name: string;
  settings: TSchema;
  /** The closed set of values a classifier returns with these settings, if any. */
  labels?(settings: Record<string, unknown>): readonly string[] | undefined;
}

export interface PluginCatalog {
  get(kind: PluginKind, name: string): PluginCatalogEntry | undefined;
  names(kind: PluginKind): readonly string[];
}

export interface Context {
  source: ConfigSource;
  plugins: PluginCatalog;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `16mb` (binary units, as body-size limits are usually meant) or a number of bytes → bytes. */
export function sizeBytes(value: number | string): number {
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(value);
  return match ? Math.floor(Number(match[1]) * (SIZE_UNITS[match[2]!.toLowerCase()] ?? Number.NaN)) : Number.NaN;
}

/** Compiles the expression in the string at `pointer`, reporting its errors inside the YAML scalar. */
export function compileAt(ctx: Context, source: string, pointer: string, catalogue: FactCatalogue): CompiledExpression | undefined {
  const result = compileExpression(source, catalogue);
  if (result.ok) return result.expression;
  for (const error of result.errors) {
    const range = ctx.source.inScalar(pointer, error.offset, Math.max(1, error.length));
    ctx.source.report(error.code, error.message, range, { hint: error.hint });
  }
  return undefined;
}

/** The timer range in the units a config writes: 596h is the last whole hour under TIMER_MAX_MS. */
const TIMER_RANGE = "from 1ms to 596h (about 24.8 days, the longest a timer waits)";

/**
 * Milliseconds of the duration at `pointer` (valid by the schema), which a timer waits: under 1ms it
 * would fire at once, and past TIMER_MAX_MS the runtime fires it at once too. `zero` is what 0 means
 * where it is allowed.
 */
export function timerAt(ctx: Context, value: number | string, pointer: string, zero?: string): number {
  const ms = durationMs(value);
  if (ms === 0 && zero) return 0;
  if (ms >= 1 && ms <= TIMER_MAX_MS) return ms;
  const key = pointer.slice(pointer.lastIndexOf("/") + 1);
  const problem = ms < 1 ? "is under 1ms" : "is longer than a timer can wait";
  const range = zero ? `0 (${zero}), or ${TIMER_RANGE}` : TIMER_RANGE;
  ctx.source.report("out-of-range", `${key}: ${value} ${problem}`, ctx.source.at(pointer), { hint: `write a duration ${range}` });
  return ms;
}
