// Structured logs: one JSON object per line on stderr, secrets redacted before they are written.

import type { KitLogger } from "./kit/kit.ts";

export interface Logger extends KitLogger {
  /** Installs the redactor of the config in force (secrets change with reloads). */
  setRedactor(redact: (text: string) => string): void;
}

export function createLogger(options: { quiet?: boolean; write?: (line: string) => void } = {}): Logger {
  let redact = (text: string) => text;
  const write = options.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const emit = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (options.quiet && level === "info") return;
    write(redact(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })));
  };
  return {
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    setRedactor(next) {
      redact = next;
    },
  };
}
