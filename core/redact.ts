// Secret redaction: configured secrets never leave the process, whatever carries them.

const MASK = "[redacted]";

/**
 * `keepWidth` masks each secret with as many `*` as it has characters: for a quoted source line,
 * whose caret must still fall under the column it names.
 */
export function createRedactor(secrets: readonly string[], options: { keepWidth?: boolean } = {}): (text: string) => string {
  const usable = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of usable) if (out.includes(secret)) out = out.split(secret).join(options.keepWidth ? "*".repeat(secret.length) : MASK);
    return out;
  };
}

/** Redacts every string inside a JSON-like value. */
export function redactValue<T>(value: T, redact: (text: string) => string): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
