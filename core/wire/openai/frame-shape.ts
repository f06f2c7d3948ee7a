// Repeated delta frames. Within one stream a vendor's token frames are the same bytes but for the
// one string they carry (the same id, model, created and field order every time), so once a frame
// has been decoded the long way, the next ones of its shape are read by comparing their ends and
// taking the string between: no JSON.parse and no objects per token. A frame that differs anywhere
// else (a finish reason, usage, a field that changes per chunk) takes the long way.

export type ShapedField = "content" | "reasoning_content" | "reasoning" | "arguments";

/** Any character that a JSON string body must escape, or an escape: the body needs a real parse. */
const NEEDS_PARSE = /["\\\u0000-\u001f]/;
/** Stands in for the carried string when a learned shape is checked. */
const PROBE = "\u2603probe";

/**
 * A top-level field whose string changes in every frame and that the decoder never reads: OpenAI's
 * `obfuscation` padding, on by default in its streams. A shape skips over its value.
 */
const PADDING = ',"obfuscation":"';

/** The frame text around one string value, and that value's place in the parsed frame. */
export class FrameShape {
  /**
   * `before` ends with the value's opening quote, `after` starts with its closing one. With
   * padding, `after` runs to the padding's opening quote and `tail` from its closing one.
   */
  private constructor(
    private readonly before: string,
    private readonly after: string,
    private readonly tail: string | null,
  ) {}

  /**
   * The shape of `data`, a frame whose parsed `read(frame)` is `value`, the value of the `field`
   * key: the text before and after the value's literal. Null when the literal is not written as
   * JSON.stringify writes it, or when the text around it does not parse back to a frame that
   * carries a stand-in value at the same place (so the place is proven, not guessed).
   */
  static learn(data: string, field: ShapedField, value: string, read: (frame: unknown) => unknown): FrameShape | null {
    const literal = JSON.stringify(value);
    const at = data.lastIndexOf(`"${field}":${literal}`);
    if (at < 0) return null;
    const start = at + field.length + 3;
    const before = data.slice(0, start + 1);
    let after = data.slice(start + literal.length - 1);
    let tail: string | null = null;
    const padding = after.lastIndexOf(PADDING);
    if (padding >= 0) {
      const close = after.indexOf('"', padding + PADDING.length);
      if (close < 0) return null;
      tail = after.slice(close);
      after = after.slice(0, padding + PADDING.length);
    }
    try {
      const probe: unknown = JSON.parse(`${before}${PROBE}${after}${tail === null ? "" : `${PROBE}${tail}`}`);
      if (read(probe) !== PROBE) return null;
      if (tail !== null && (probe as { obfuscation?: unknown }).obfuscation !== PROBE) return null;
    } catch {
      return null;
    }
    return new FrameShape(before, after, tail);
  }

  /** The string a frame of this shape carries, or undefined when the frame is not of this shape. */
  value(data: string): string | undefined {
    const { before, after, tail } = this;
    if (!data.startsWith(before)) return undefined;
    let end: number;
    if (tail === null) {
      end = data.length - after.length;
      if (end < before.length || !data.endsWith(after)) return undefined;
    } else {
      end = closingQuote(data, before.length);
      if (end < 0 || !data.startsWith(after, end)) return undefined;
      const padding = end + after.length;
      const paddingEnd = data.length - tail.length;
      // Padding is letters and digits; anything else, or a tail that differs, is some other frame.
      if (paddingEnd < padding || !data.endsWith(tail) || NEEDS_PARSE.test(data.slice(padding, paddingEnd))) return undefined;
    }
    const body = data.slice(before.length, end);
    if (!NEEDS_PARSE.test(body)) return body;
    try {
      // An unescaped quote or a bad escape makes this throw: then the frame is some other shape.
      const parsed: unknown = JSON.parse(`"${body}"`);
      return typeof parsed === "string" ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The index of the quote that closes a string whose body starts at `from`, or -1. */
function closingQuote(data: string, from: number): number {
  for (let at = data.indexOf('"', from); at >= 0; at = data.indexOf('"', at + 1)) {
    let slashes = 0;
    while (data.charCodeAt(at - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return at;
  }
  return -1;
}
