// Structured logs: one JSON object per line on stderr, secrets redacted before they are written.

import type { KitLogger } from "./kit/kit.ts";
import { createRedactor } from "./redact.ts";

export interface Logger extends KitLogger {
  /**
   * Masks these secrets in every line from now on. Each config compiled adds its own before any of
   * its plugins is created, so a plugin logging its settings (at start, in `check`, in a reload
   * that brings a new key) never writes one; a secret a reload took out stays masked.
   */
  redactSecrets(secrets: readonly string[]): void;
}

/** Whether a kit's logger is one that masks secrets (a test's or a host's own may not be). */
export function isLogger(log: KitLogger): log is Logger {
  return typeof (log as Partial<Logger>).redactSecrets === "function";
}

export function createLogger(options: { quiet?: boolean; write?: (line: string) => void } = {}): Logger {
  let redact = (text: string) => text;
  const known = new Set<string>();
  const write = options.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const emit = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (options.quiet && level === "info") return;
    write(redact(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })));
  };
  return {
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    redactSecrets(secrets) {
      const before = known.size;
      for (const secret of secrets) known.add(secret);
      if (known.size > before) redact = createRedactor([...known]);
    },
  };
}
