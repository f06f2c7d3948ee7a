// The parsed config file: YAML → plain values (env substituted) plus the one map from a JSON pointer
// to its YAML node and byte range, which every diagnostic's position comes from. Positions come from
// the `yaml` library's document, built only when a diagnostic needs one (or the fast parse declines).

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Alias, type Document, type Node as YamlNode, type YAMLMap } from "yaml";
import { ALIAS_LIMIT, type Aliases, analyseAliases } from "./aliases.ts";
import type { Diagnostic, DiagnosticCode } from "./diagnostics.ts";
import { substituteEnv } from "./env.ts";
import { fastParse } from "./fast-parse.ts";

export interface Range {
  offset: number;
  length: number;
}

export interface Report {
  hint?: string | undefined;
  severity?: "error" | "warning";
}

/**
 * Keys whose values are secrets to redact: api_key, admin_key, key, secret, token, and the headers
 * that carry credentials (Authorization, Proxy-Authorization, cf-aig-authorization, Cookie...).
 */
const SECRET_KEY = /(^|[_-])(key|secret|token|authorization|password|credentials?|cookie)$/i;
/** A credential after its scheme (`Bearer sk-...`): a vendor echoing the header may echo the credential alone. */
const SCHEMED = /^(?:bearer|basic|token|apikey|key)\s+(\S{4,})$/i;

/**
 * A secret key and its value as written on a line, for a file the parser could not read whole: a
 * secret on the line of a syntax error never reaches the parsed value, and that line is quoted.
 */
const WRITTEN_SECRET = /(?:^|[\s{,])["']?([\w-]+)["']?[ \t]*:[ \t]*("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s,}\]#]+)/gm;

const segment = (s: string | number) => {
  const text = String(s);
  return text.includes("~") || text.includes("/") ? `/${text.replace(/~/g, "~0").replace(/\//g, "~1")}` : `/${text}`;
};

export const pointerOf = (...segments: (string | number)[]) => segments.map(segment).join("");

/** The `yaml` library's view of the file: nodes with byte ranges, indexed by JSON pointer. */
interface Layout {
  doc: Document;
  lineCounter: LineCounter;
  lines: string[];
  valueNodes: Map<string, YamlNode>;
  keyNodes: Map<string, YamlNode>;
  aliases: Aliases;
}

const keyName = (key: YamlNode | null) => (isScalar(key) ? String(key.value) : String(key));

function setOwn(out: Record<string, unknown>, name: string, value: unknown): void {
  // defineProperty, so a key named __proto__ is data, not the prototype.
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
}

/** One entry of a map: its key's name, and the key's and the value's nodes. */
type Entry = [name: string, key: YamlNode | null, value: YamlNode | null];

const MERGE_KEY = "<<";

/**
 * A map's entries with YAML's merge key applied (`<<: *defaults`, or a list of such maps): the
 * map's own keys win, then each merged map's in turn. A `<<` whose value is not a map, or a list
 * of maps, stays an ordinary key, which validation then names.
 */
function entriesOf(layout: Layout, map: YAMLMap): Entry[] {
  const entries = new Map<string, Entry>();
  const merged: YamlNode[] = [];
  for (const pair of map.items) {
    const key = pair.key as YamlNode | null;
    const value = pair.value as YamlNode | null;
    const sources = isScalar(key) && key.value === MERGE_KEY ? mergeSources(layout, value) : null;
    if (sources) merged.push(...sources);
    else entries.set(keyName(key), [keyName(key), key, value]);
  }
  for (const source of merged) {
    for (const entry of entriesOf(layout, source as YAMLMap)) if (!entries.has(entry[0])) entries.set(entry[0], entry);
  }
  return [...entries.values()];
}

/**
 * The maps a merge key's value names, or null when it is not a map or a list of maps; an alias not
 * followed merges nothing (its own diagnostic says why).
 */
function mergeSources(layout: Layout, value: YamlNode | null): YamlNode[] | null {
  const resolve = (node: unknown): unknown => (isAlias(node) ? (layout.aliases.target(node) ?? null) : node);
  const target = resolve(value);
  const sources = (isSeq(target) ? target.items.map(resolve) : [target]).filter((source) => source !== null);
  return sources.every((source) => isMap(source)) ? (sources as YamlNode[]) : null;
}

/** Fills the pointer → node maps; an alias's pointers map to the nodes of what it names. */
function index(layout: Layout, node: YamlNode, pointer: string): void {
  if (isAlias(node)) {
    const target = layout.aliases.target(node);
    if (target) index(layout, target, pointer);
    else layout.valueNodes.set(pointer, node);
    return;
  }
  layout.valueNodes.set(pointer, node);
  if (isMap(node)) {
    for (const [name, keyNode, value] of entriesOf(layout, node)) {
      const child = pointer + segment(name);
      if (keyNode) layout.keyNodes.set(child, keyNode);
      if (value) index(layout, value, child);
      else if (keyNode) layout.valueNodes.set(child, keyNode);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => item && index(layout, item as YamlNode, pointer + segment(i)));
  }
}

/** The plain value of a node, as the fast parse would have built it. */
function plainOf(layout: Layout, node: YamlNode): unknown {
  if (isAlias(node)) {
    const target = layout.aliases.target(node);
    return target ? plainOf(layout, target) : null;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const [name, , value] of entriesOf(layout, node)) setOwn(out, name, value ? plainOf(layout, value) : null);
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => (item ? plainOf(layout, item as YamlNode) : null));
  return isScalar(node) ? node.value : null;
}

/** The key that assignment (TypeBox's Value.Clone, Object.assign) makes an object's prototype. */
const PROTO = "__proto__";

/** Whether substitution can change `value`: a collection, or a string with a `${`. */
const mayChange = (value: unknown) => (typeof value === "string" ? value.includes("${") : typeof value === "object" && value !== null);

export class ConfigSource {
  readonly value: unknown;
  readonly diagnostics: Diagnostic[] = [];
  readonly secrets = new Set<string>();
  /** Pointers of strings changed by `${...}`: offsets inside them no longer map to the source. */
  private readonly substituted = new Set<string>();
  /** Pointers of strings with a missing or malformed `${...}`, reported already. */
  private readonly envProblems = new Set<string>();
  private parsed: Layout | undefined;

  /** A secret, and the credential in it after an auth scheme. */
  private addSecret(value: string): void {
    this.secrets.add(value);
    const credential = SCHEMED.exec(value)?.[1];
    if (credential) this.secrets.add(credential);
  }

  /** Every secret written inline in the text, whether or not it parsed (see WRITTEN_SECRET). */
  private collectWrittenSecrets(): void {
    for (const [, key, written] of this.text.matchAll(WRITTEN_SECRET)) {
      if (!SECRET_KEY.test(key!)) continue;
      // Quoted, or a quote opened and never closed (the syntax error itself).
      const quote = written![0] === '"' || written![0] === "'" ? written![0] : "";
      const value = !quote ? written! : written!.slice(1, written!.length > 1 && written!.endsWith(quote) ? -1 : undefined);
      if (value.length >= 4 && !value.includes("${")) this.addSecret(value);
    }
  }

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly env: Record<string, string | undefined>,
  ) {
    const fast = fastParse(text);
    let raw: unknown;
    if (fast) raw = fast.value;
    else {
      const layout = this.layout();
      const { doc } = layout;
      for (const error of doc.errors) {
        const code: DiagnosticCode = error.code === "DUPLICATE_KEY" ? "duplicate-name" : "yaml-syntax";
        const [start, end] = error.pos;
        // The library's own words name its API (parseAllDocuments), which a config's author cannot call.
        const several = error.code === "MULTIPLE_DOCS";
        const message = several ? "a config is one YAML document, and a second one starts here" : error.message.split("\n")[0]!;
        const hint = several ? "remove the `---` and put what follows in the one document" : unclosedHint(this.text, start, message);
        this.report(code, message, { offset: start, length: Math.max(1, end - start) }, hint ? { hint } : {});
      }
      if (doc.errors.length > 0) this.collectWrittenSecrets();
      this.reportAliases(layout.aliases);
      raw = doc.contents ? plainOf(layout, doc.contents as YamlNode) : {};
    }
    this.value = this.substituteAll(raw, "", "");
  }

  /** The aliases not followed, each said once: recursive, naming no anchor, and the first past ALIAS_LIMIT. */
  private reportAliases(aliases: Aliases): void {
    const at = (alias: Alias) => ({ offset: alias.range?.[0] ?? 0, length: Math.max(1, (alias.range?.[1] ?? 0) - (alias.range?.[0] ?? 0)) });
    for (const alias of aliases.recursive) {
      this.report("yaml-syntax", "this alias names a map or list that holds it: a config cannot be recursive", at(alias), {
        hint: "repeat the values, or anchor a part that does not hold the alias",
      });
    }
    for (const alias of aliases.dangling) {
      this.report("yaml-syntax", `alias *${alias.source} names no anchor`, at(alias), { hint: `mark the value it repeats with &${alias.source}, above this alias` });
    }
    // Said once, at the first: it and every later alias past the limit are read as nothing.
    const [first] = aliases.excessive;
    if (first) {
      this.report("alias-limit", `alias *${first.source} repeats ${aliases.sizeOf(first)} values, which takes what aliases repeat past ${ALIAS_LIMIT}`, at(first), {
        hint: "an alias repeats all its anchor holds, aliases inside included, so nested ones multiply: repeat less, or write the values out",
      });
    }
  }

  /** Whether the value at `pointer` is an alias not followed (reported already): nothing more to say of it. */
  isUnfollowedAlias(pointer: string): boolean {
    const node = this.parsed?.valueNodes.get(pointer);
    return isAlias(node) && this.parsed!.aliases.target(node) === undefined;
  }

  /** Whether the string at `pointer` holds a `${...}` reported as missing or malformed: what it became says nothing more. */
  hasEnvProblem(pointer: string): boolean {
    return this.envProblems.has(pointer);
  }

  /** Whether the string at `pointer` was filled in by a `${...}` substitution. */
  wasSubstituted(pointer: string): boolean {
    return this.substituted.has(pointer);
  }

  /** Builds a diagnostic at `range`; line and column come from the file's line table. */
  diagnostic(code: DiagnosticCode, message: string, range: Range, report: Report = {}): Diagnostic {
    const layout = this.layout();
    const { line, col } = layout.lineCounter.linePos(range.offset);
    return {
      code,
      severity: report.severity ?? "error",
      message,
      ...(report.hint ? { hint: report.hint } : {}),
      file: this.file,
      line,
      col,
      offset: range.offset,
      length: range.length,
      sourceLine: layout.lines[line - 1] ?? "",
    };
  }

  report(code: DiagnosticCode, message: string, range: Range, report: Report = {}): void {
    this.diagnostics.push(this.diagnostic(code, message, range, report));
  }

  /** Range of the value (or key) at `pointer`, or of its nearest ancestor present in the file. */
  at(pointer: string, part: "value" | "key" = "value"): Range {
    const { keyNodes, valueNodes } = this.layout();
    let current = pointer;
    for (;;) {
      const node = (part === "key" ? keyNodes.get(current) : undefined) ?? valueNodes.get(current);
      if (node?.range) return { offset: node.range[0], length: Math.max(1, node.range[1] - node.range[0]) };
      if (current === "") return { offset: 0, length: 0 };
      current = current.slice(0, current.lastIndexOf("/"));
      part = "key";
    }
  }

  /** Source range of characters `index..index+length` of the string scalar at `pointer`. */
  inScalar(pointer: string, index: number, length: number): Range {
    const node = this.layout().valueNodes.get(pointer);
    if (!isScalar(node) || !node.range || this.substituted.has(pointer)) return this.at(pointer);
    const value = String(node.value);
    const offsets = scalarOffsets(this.text.slice(node.range[0], node.range[1]), value, node.type);
    if (!offsets || value.length === 0) return this.at(pointer);
    const start = node.range[0];
    const first = index < value.length ? offsets[index]! : offsets[value.length - 1]! + 1;
    const last = Math.min(index + length, value.length) - 1;
    return { offset: start + first, length: last >= index ? offsets[last]! + 1 - first : length };
  }

  /** The full parse with positions, once: the slow part of reading a large file, so only on demand. */
  private layout(): Layout {
    if (!this.parsed) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
      const layout: Layout = { doc, lineCounter, lines: this.text.split(/\r?\n/), valueNodes: new Map(), keyNodes: new Map(), aliases: analyseAliases(doc) };
      if (doc.contents) index(layout, doc.contents as YamlNode, "");
      this.parsed = layout;
    }
    return this.parsed;
  }

  /**
   * Substitutes `${...}` in every string, in place; `key` is the map key a value sits under. A key
   * named __proto__ is reported and dropped on the way, so no copy of the value inherits from it.
   */
  private substituteAll(value: unknown, pointer: string, key: string): unknown {
    if (typeof value === "string") return value.includes("${") ? this.substitute(value, pointer, key) : value;
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (mayChange(item)) value[i] = this.substituteAll(item, pointer + segment(i), key);
      }
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      if (name === PROTO) {
        this.report("reserved-name", `"${PROTO}" cannot be a key: JavaScript reads it as the map's prototype, not as one of its keys`, this.at(pointer + segment(name), "key"), {
          hint: "remove it: no section, setting, header or label is named so",
        });
        delete record[name];
        continue;
      }
      const item = record[name];
      // A secret written inline is as secret as one read from the environment.
      if (typeof item === "string" && item.length >= 4 && !item.includes("${") && SECRET_KEY.test(name)) this.addSecret(item);
      if (!mayChange(item)) continue;
      const next = this.substituteAll(item, pointer + segment(name), name);
      if (next !== item) setOwn(record, name, next);
    }
    return value;
  }

  private substitute(text: string, pointer: string, key: string): string {
    const result = substituteEnv(text, this.env);
    // Indexes are in the string as written: placed before the pointer is marked substituted.
    for (const malformed of result.malformed) {
      this.report("malformed-env", `malformed environment reference ${JSON.stringify(withoutDefault(malformed.text))}`, this.inScalar(pointer, malformed.index, malformed.length), {
        hint: malformedHint(malformed.text),
      });
    }
    const missing = result.missing.map((m) => ({ ...m, range: this.inScalar(pointer, m.index, m.length) }));
    if (missing.length > 0 || result.malformed.length > 0) this.envProblems.add(pointer);
    if (!result.changed) return text;
    this.substituted.add(pointer);
    for (const { name, range } of missing) {
      this.report("missing-env", `environment variable ${name} is not set`, range, {
        hint: `set ${name}, or write \${${name}:-default}`,
      });
    }
    if (SECRET_KEY.test(key)) for (const value of result.inserted) if (value.length >= 4) this.addSecret(value);
    return result.value;
  }
}

/** Length of a double-quoted escape, `\\x41`, `\\u00e9`, `\\U0001F600` or a two-character one like `\\n`. */
const ESCAPE_LENGTH: Record<string, number> = { x: 4, u: 6, U: 10 };

/**
 * Where each character of a scalar's value sits in its source `raw`: line folding, indentation,
 * quotes and escapes taken apart, so an error inside a `when:` points at its token whatever the
 * scalar's style. Undefined when the value cannot be walked back to the text (then the whole scalar).
 */
export function scalarOffsets(raw: string, value: string, type: Scalar["type"]): number[] | undefined {
  const block = type === Scalar.BLOCK_FOLDED || type === Scalar.BLOCK_LITERAL;
  const quoted = type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE;
  const offsets: number[] = [];
  // A block scalar's header line (`>-  # comment`) holds none of its value; a quote opens nothing.
  let r = block ? raw.indexOf("\n") + 1 : quoted ? 1 : 0;
  if (block && r === 0) return undefined;
  const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";
  for (let i = 0; i < value.length; ) {
    if (r >= raw.length) return undefined;
    const c = value[i]!;
    const at = raw[r]!;
    if (type === Scalar.QUOTE_DOUBLE && at === "\\") {
      const next = raw[r + 1];
      if (next === "\n" || next === "\r") {
        // A line continuation: the break and the next line's indentation are no part of the value.
        r += 2;
        while (isSpace(raw[r])) r++;
        continue;
      }
      const size = ESCAPE_LENGTH[next ?? ""] ?? 2;
      const units = next === "U" && Number.parseInt(raw.slice(r + 2, r + 10), 16) > 0xffff ? 2 : 1;
      for (let k = 0; k < units; k++) offsets[i++] = r;
      r += size;
    } else if (type === Scalar.QUOTE_SINGLE && at === "'" && raw[r + 1] === "'") {
      offsets[i++] = r;
      r += 2;
    } else if (at === c || (isSpace(c) && isSpace(at))) {
      // A folded line break is a space (or a newline) of the value: it sits where the break was.
      offsets[i++] = r++;
    } else if (isSpace(at)) r++;
    else return undefined;
  }
  return offsets;
}

const REFERENCE_FORMS = "write ${VAR} or ${VAR:-default} (VAR of letters, digits and _), or $${ for a literal ${";

/** The reference with its default left out: under api_key, the default may be a key. */
const withoutDefault = (text: string) => text.replace(/^(\$\{\s*[A-Za-z_][A-Za-z0-9_]*\s*:?[-=?+]).+?(\}?)$/s, "$1…$2");

/** What to write instead of a `${...}` that is neither accepted form. */
function malformedHint(text: string): string {
  if (!text.endsWith("}")) return `close it with }: ${REFERENCE_FORMS}`;
  const spaced = /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(text);
  if (spaced) return `write \${${spaced[1]}}, with no spaces inside the braces`;
  const shell = /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:?[-=](.*)\}$/s.exec(text);
  if (shell && !shell[2]!.includes("${")) return `write \${${shell[1]}:-default}: only :- gives a default`;
  if (text.slice(2).includes("${")) return `a default cannot hold another reference: ${REFERENCE_FORMS}`;
  return REFERENCE_FORMS;
}

const CLOSERS: Record<string, string> = { "{": "}", "[": "]" };

/**
 * For YAML's "must … end with a }" (or `]`), which it reports where it noticed, often the next line:
 * where the bracket left open was opened. Scans `text` up to `offset`, past quoted strings and comments.
 */
export function unclosedHint(text: string, offset: number, message: string): string | undefined {
  const closer = /end with an? ([}\]])/.exec(message)?.[1];
  if (!closer) return undefined;
  const open: number[] = [];
  let quote: string | null = null;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    const char = text[i]!;
    if (quote) {
      if (char === "\\" && quote === '"') i++;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === "#" && (i === 0 || /\s/.test(text[i - 1]!))) i = text.indexOf("\n", i) < 0 ? text.length : text.indexOf("\n", i) - 1;
    else if (char === "{" || char === "[") open.push(i);
    else if (char === "}" || char === "]") open.pop();
  }
  for (let k = open.length - 1; k >= 0; k--) {
    const at = open[k]!;
    if (CLOSERS[text[at]!] !== closer) continue;
    const line = text.slice(0, at).split("\n").length;
    const col = at - text.lastIndexOf("\n", at - 1);
    return `the \`${text[at]}\` opened at line ${line}, column ${col} is not closed: add its \`${closer}\``;
  }
  return undefined;
}
