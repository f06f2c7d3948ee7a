// Fast path of config parsing: the runtime's native YAML parser, taken only when a scan of the text
// shows its result is what the `yaml` library would build. The library is ~30× slower on a large
// file, so it is kept for files the scan cannot vouch for and for source positions (diagnostics).

/** A flow collection open on the scan: whether its current entry has content and a `:`. */
interface Frame {
  open: "{" | "[";
  content: boolean;
  colon: boolean;
}

const FLOW = ",[]{}";
const DOCUMENT_MARKER = /^(---|\.\.\.)( |$)/;
const BLOCK_HEADER = /^[+-]?( *(#.*)?)?$/;

/**
 * Counts the mapping-value indicators (`key:`) of a YAML text. Returns undefined for any feature it
 * does not follow exactly (tabs, anchors, aliases, tags, merge keys, explicit `?` keys, directives,
 * several documents, multi-line quoted strings, keys without `:` in flow maps, complex keys): those
 * files take the full parser. Every `:` it counts outside those is a pair the parser builds, so the
 * native parser's pair count falls short of it exactly when a key was given twice.
 */
class IndicatorScan {
  count = 0;
  private readonly flow: Frame[] = [];
  /** Inside a block scalar: its lines are those indented past this column (or blank). */
  private blockOwner = -1;
  /** Column of the latest key or `- ` on the line: what a `|` / `>` on it belongs to. */
  private owner = -1;
  /** Inside a plain scalar (in flow context they run across lines). */
  private plain = false;
  /** While a flow collection runs across lines, they must be indented past this column. */
  private flowFloor = -1;
  private lineIndent = 0;

  run(text: string): number | undefined {
    if (text.includes("\t") || text.includes("<<")) return undefined;
    const lines = text.split("\n");
    for (let n = 0; n < lines.length; n++) {
      let line = lines[n]!;
      if (n < lines.length - 1 && line.endsWith("\r")) line = line.slice(0, -1);
      if (line.includes("\r")) return undefined;
      if (this.blockOwner >= 0) {
        const indent = indentOf(line);
        if (indent === line.length || indent > this.blockOwner) continue;
        this.blockOwner = -1;
      }
      if (line.startsWith("%") || (DOCUMENT_MARKER.test(line) && !(n === 0 && line === "---"))) return undefined;
      this.lineIndent = indentOf(line);
      const text = line.slice(this.lineIndent);
      // The native parser lets a flow collection's later lines sit too far left; the library rejects them.
      if (this.inFlow && text !== "" && !text.startsWith("#") && this.lineIndent <= this.flowFloor) return undefined;
      if (!this.line(line)) return undefined;
    }
    return this.flow.length === 0 ? this.count : undefined;
  }

  private get inFlow(): boolean {
    return this.flow.length > 0;
  }

  /** Scans one line; false when it uses something the scan does not follow. */
  private line(line: string): boolean {
    this.owner = -1;
    if (!this.inFlow) this.plain = false;
    let separated = true;
    let scalarStart = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === " ") {
        separated = true;
        continue;
      }
      if (c === "#" && separated) return true;
      if (this.plain) {
        if (c === ":" && this.isIndicator(line, i)) {
          this.indicator(scalarStart);
          separated = true;
          continue;
        }
        separated = false;
        if (!this.inFlow || !FLOW.includes(c)) continue;
        this.plain = false;
      }
      const end = this.token(line, i);
      if (end === undefined) return false;
      if (end === BLOCK_SCALAR) return true;
      if (this.plain) scalarStart = i;
      separated = !this.plain && "{[,-:".includes(line[end]!);
      i = end;
    }
    return true;
  }

  /** A `:` that separates a key from its value: followed by a space or the line end (or a flow indicator in flow). */
  private isIndicator(line: string, i: number): boolean {
    const next = line[i + 1];
    return next === undefined || next === " " || (this.inFlow && FLOW.includes(next));
  }

  private indicator(keyStart: number): void {
    this.count++;
    this.owner = keyStart;
    this.plain = false;
    const top = this.flow[this.flow.length - 1];
    if (top) top.colon = true;
  }

  private content(): void {
    const top = this.flow[this.flow.length - 1];
    if (top) top.content = true;
  }

  /**
   * Reads the token starting at `i` (outside any plain scalar). Returns the index of its last
   * character, BLOCK_SCALAR when the rest of the line is a block scalar header, or undefined.
   */
  private token(line: string, i: number): number | undefined {
    const c = line[i]!;
    const next = line[i + 1];
    const spaceAfter = next === undefined || next === " ";
    if (c === '"' || c === "'") return this.quoted(line, i);
    if (c === "{" || c === "[") {
      // Its parent block node is left of the line's indentation, or is the key / `- ` it follows.
      if (!this.inFlow) this.flowFloor = this.owner >= 0 ? this.owner : this.lineIndent - 1;
      this.content();
      this.flow.push({ open: c, content: false, colon: false });
      return i;
    }
    if (c === "}" || c === "]") return this.close(line, i);
    if (c === ",") return this.inFlow && this.endEntry() ? i : undefined;
    if (c === "-" && spaceAfter) {
      if (this.inFlow) return undefined;
      this.owner = i;
      return i;
    }
    if (c === "|" || c === ">") return this.inFlow ? undefined : this.blockScalar(line.slice(i + 1));
    if (c === ":" && this.isIndicator(line, i)) return undefined;
    if ("?&*!%@`".includes(c)) return undefined;
    this.plain = true;
    this.content();
    return i;
  }

  private quoted(line: string, start: number): number | undefined {
    const quote = line[start]!;
    let i = start + 1;
    for (; i < line.length; i++) {
      if (quote === '"' && line[i] === "\\") i++;
      else if (line[i] === quote) {
        if (quote === "'" && line[i + 1] === "'") i++;
        else break;
      }
    }
    if (i >= line.length) return undefined;
    this.content();
    if (line[i + 1] === ":" && (this.inFlow || this.isIndicator(line, i + 1))) {
      this.indicator(start);
      return i + 1;
    }
    return i;
  }

  private close(line: string, i: number): number | undefined {
    const frame = this.flow.pop();
    if (!frame || frame.open !== (line[i] === "}" ? "{" : "[")) return undefined;
    if (frame.open === "{" && frame.content && !frame.colon) return undefined;
    // `[a, b]: x` or `{a: 1}: x`: a collection as a key.
    if (line.slice(i + 1).trimStart().startsWith(":")) return undefined;
    return i;
  }

  private endEntry(): boolean {
    const top = this.flow[this.flow.length - 1]!;
    if (top.open === "{" && top.content && !top.colon) return false;
    top.content = false;
    top.colon = false;
    return true;
  }

  private blockScalar(header: string): typeof BLOCK_SCALAR | undefined {
    if (this.owner < 0 || !BLOCK_HEADER.test(header)) return undefined;
    this.blockOwner = this.owner;
    return BLOCK_SCALAR;
  }
}

const BLOCK_SCALAR = -1;

function indentOf(line: string): number {
  let i = 0;
  while (line[i] === " ") i++;
  return i;
}

function pairsOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += pairsOf(item);
    return count;
  }
  for (const key of Object.keys(value)) count += 1 + pairsOf((value as Record<string, unknown>)[key]);
  return count;
}

/** Counts `key:` indicators of `text`, or undefined when the full parser must read it. Exported for tests. */
export function countIndicators(text: string): number | undefined {
  return new IndicatorScan().run(text);
}

/**
 * The plain value of `text` when the native parser can be trusted with it (same values and keys as
 * the `yaml` library, no duplicate keys, no syntax errors); undefined otherwise.
 */
export function fastParse(text: string): { value: unknown } | undefined {
  const native = globalThis.Bun?.YAML;
  if (!native) return undefined;
  const indicators = countIndicators(text);
  if (indicators === undefined) return undefined;
  let value: unknown;
  try {
    value = native.parse(text);
  } catch {
    return undefined;
  }
  return pairsOf(value) === indicators ? { value } : undefined;
}
