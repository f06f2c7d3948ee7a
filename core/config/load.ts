// Reads a config file from disk and compiles it; an unreadable file is a diagnostic, not a throw.

import { compileConfig, type CompileOptions, type CompileResult } from "./compile.ts";
import type { Diagnostic } from "./diagnostics.ts";

const REASONS: Record<string, string> = { ENOENT: "there is no such file", EISDIR: "it is a folder", EACCES: "permission denied" };

/** A config file that could not be read, as a diagnostic that says why and what to do. */
export function unreadableDiagnostic(path: string, error: unknown): Diagnostic {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = (typeof code === "string" && REASONS[code]) || (error instanceof Error ? error.message : String(error));
  return {
    code: "file-unreadable",
    severity: "error",
    message: `cannot read the config file: ${reason}`,
    hint: "pass --config FILE, or run where router.config.yaml is",
    file: path,
    line: 1,
    col: 1,
    offset: 0,
    length: 0,
    sourceLine: "",
  };
}

export async function loadConfig(path: string, options: Omit<CompileOptions, "file">): Promise<CompileResult & { text: string }> {
  let text: string;
  try {
    text = await Bun.file(path).text();
  } catch (error) {
    return { text: "", graph: null, diagnostics: [unreadableDiagnostic(path, error)] };
  }
  return { text, ...compileConfig(text, { ...options, file: path }) };
}
