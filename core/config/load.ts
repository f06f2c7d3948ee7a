// Reads a config file from disk and compiles it; an unreadable file is a diagnostic, not a throw.

import { compileConfig, type CompileOptions, type CompileResult } from "./compile.ts";
import { unreadableReason } from "../unreadable.ts";
import type { Diagnostic } from "./diagnostics.ts";

/** A config file that could not be read, as a diagnostic that says why and what to do. */
export function unreadableDiagnostic(path: string, error: unknown): Diagnostic {
  return {
    code: "file-unreadable",
    severity: "error",
    message: `cannot read the config file: ${unreadableReason(error)}`,
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
    return { text: "", graph: null, diagnostics: [unreadableDiagnostic(path, error)], secrets: [] };
  }
  return { text, ...compileConfig(text, { ...options, file: path }) };
}
