// Config diagnostics: a closed set of codes, printed with a caret excerpt.

import type { ExpressionErrorCode } from "../expr/types.ts";

export type DiagnosticCode =
  | "file-unreadable"
  | "yaml-syntax"
  | "alias-limit"
  | "unknown-key"
  | "wrong-type"
  | "missing-key"
  | "duplicate-name"
  | "missing-env"
  | "malformed-env"
  | "out-of-range"
  | "invalid-storage"
  | "reserved-name"
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
