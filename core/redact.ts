// Secret redaction: configured secrets never leave the process, whatever carries them.

const MASK = "[redacted]";

/**
 * `keepWidth` masks each secret with as many `*` as it has characters: for a quoted source line,
 * whose caret must still fall under the column it names.
 */
export function createRedactor(secrets: readonly string[], options: { keepWidth?: boolean } = {}): (text: string) => string {
  const usable = [...new Set(secrets.filter((s) => s.length >= 4).flatMap(writtenForms))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of usable) if (out.includes(secret)) out = out.split(secret).join(options.keepWidth ? "*".repeat(secret.length) : MASK);
    return out;
  };
}

/**
 * A secret as it may be written where it is passed on: as it is, inside a JSON string (a vendor
 * echoing it in an error body, which redactValue sees serialised), and URL-encoded (in a URL a
 * vendor quotes back).
 */
function writtenForms(secret: string): string[] {
  const forms = [secret];
  const json = JSON.stringify(secret).slice(1, -1);
  if (json !== secret) forms.push(json);
  const url = encodeURIComponent(secret);
  // Escapes in either case: %2F and %2f are the same character.
  if (url !== secret) forms.push(url, url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  return [...new Set(forms)];
}

/** Redacts every string inside a JSON-like value. */
export function redactValue<T>(value: T, redact: (text: string) => string): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
