// Config diagnostics: a closed set of codes, each documented with its fix, printed with a caret excerpt.

import type { ExpressionErrorCode } from "../expr/types.ts";

export type DiagnosticCode =
  | "file-unreadable"
  | "yaml-syntax"
  | "unknown-key"
  | "wrong-type"
  | "missing-key"
  | "duplicate-name"
  | "missing-env"
  | "unknown-plugin"
  | "unknown-provider"
  | "unknown-target"
  | "pool-cycle"
  | "unreachable-route"
  | "empty-target"
  | "unavailable-target"
  | "invalid-plugin"
  | "open-auth"
  | ExpressionErrorCode;

/** What each code means and how to fix it; the README's table is generated from this. */
export const DIAGNOSTIC_HELP: Record<DiagnosticCode, string> = {
  "file-unreadable": "The config file could not be read. Check the path given with --config and its permissions.",
  "yaml-syntax": "The file is not valid YAML. Fix the indentation, quoting or bracket at the position shown.",
  "unknown-key": "A key the section does not define. Fix its spelling (see the suggestion) or remove it.",
  "wrong-type": "A value of the wrong type, e.g. a list where a map is expected. Write the type named in the message.",
  "missing-key": "A required key is absent. Add it to the map shown.",
  "duplicate-name": "Two things share a name (a key given twice, two routes with one name, a model and a pool). Rename one.",
  "missing-env": "`${VAR}` names an environment variable that is not set. Set it, or write `${VAR:-default}`.",
  "unknown-plugin": "`use:` names a plugin that is not installed. Fix the name, or add its folder under `plugins:`.",
  "unknown-provider": "An endpoint names a provider not defined under `providers:`. Define it or fix the name.",
  "unknown-target": "A route or pool names something that is neither a model nor a pool. Fix the name or define it.",
  "pool-cycle": "Pools name each other in a loop. Break the cycle so every pool ends in models.",
  "unreachable-route": "A route below a catch-all (a route without `when:`) can never match. Move it above the catch-all.",
  "empty-target": "A target resolves to no endpoint at all. Give the model endpoints, or the pool members that have some.",
  "unavailable-target": "Every endpoint of a target is on a provider without an API key; requests go to fallbacks. Set the key.",
  "invalid-plugin": "A plugin file broke the plugin contract (no name, unknown kind, settings not a TypeBox schema, no create) or failed to load. Fix the file named.",
  "open-auth": "`auth: { use: none }` on a non-loopback host lets anyone on the network use your provider keys. Add auth.",
  "expr-syntax": "An expression in `when:` or `require:` does not parse. Fix it at the position shown.",
  "expr-unknown-fact": "An expression reads a fact that does not exist. Fix its name (see the suggestion).",
  "expr-type": "An expression compares values of different types or uses a non-condition as one. Follow the hint.",
  "expr-unknown-label": "A string the classifier can never return. Use one of its labels.",
};

export interface Diagnostic {
  code: DiagnosticCode;
  severity: "error" | "warning";
  message: string;
  hint?: string;
  file: string;
  /** 1-based line and column of `offset`. */
  line: number;
  col: number;
  /** Byte range in the file. */
  offset: number;
  length: number;
  /** The whole line `line`, for the excerpt. */
  sourceLine: string;
}

/**
 * `router.config.yaml:12:7 unknown-provider: provider "opnai" is not defined`, then the source line
 * and a caret under the range, followed by the hint.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const label = d.severity === "warning" ? `${d.code} (warning)` : d.code;
  const head = `${d.file}:${d.line}:${d.col} ${label}: ${d.message}`;
  if (d.sourceLine === "" && d.length === 0) return d.hint ? `${head}\n  ${d.hint}` : head;
  const gutter = String(d.line);
  const room = Math.max(1, d.sourceLine.length - (d.col - 1));
  const carets = "^".repeat(Math.max(1, Math.min(d.length, room)));
  const pad = " ".repeat(gutter.length);
  const marker = `  ${pad} | ${" ".repeat(d.col - 1)}${carets}${d.hint ? ` ${d.hint}` : ""}`;
  return `${head}\n  ${gutter} | ${d.sourceLine}\n${marker}`;
}

export const hasErrors = (diagnostics: readonly Diagnostic[]) => diagnostics.some((d) => d.severity === "error");
