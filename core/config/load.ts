// Reads a config file from disk and compiles it; an unreadable file is a diagnostic, not a throw.

import { compileConfig, type CompileOptions, type CompileResult } from "./compile.ts";

export async function loadConfig(path: string, options: Omit<CompileOptions, "file">): Promise<CompileResult & { text: string }> {
  let text: string;
  try {
    text = await Bun.file(path).text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      text: "",
      graph: null,
      diagnostics: [
        { code: "file-unreadable", severity: "error", message: `cannot read the config file: ${reason}`, file: path, line: 1, col: 1, offset: 0, length: 0, sourceLine: "" },
      ],
    };
  }
  return { text, ...compileConfig(text, { ...options, file: path }) };
}
