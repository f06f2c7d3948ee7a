// The parsed config file: YAML → plain values (env substituted) plus the one map from a JSON pointer
// to its YAML node and byte range, which every diagnostic's position comes from.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node as YamlNode } from "yaml";
import type { Diagnostic, DiagnosticCode } from "./diagnostics.ts";
import { substituteEnv } from "./env.ts";

export interface Range {
  offset: number;
  length: number;
}

export interface Report {
  hint?: string | undefined;
  severity?: "error" | "warning";
}

/** Keys whose values are secrets to redact: api_key, admin_key, key, secret, token... */
const SECRET_KEY = /(^|[_-])(key|secret|token)$/i;

export const pointerOf = (...segments: (string | number)[]) =>
  segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

export class ConfigSource {
  readonly value: unknown;
  readonly diagnostics: Diagnostic[] = [];
  readonly secrets = new Set<string>();
  private readonly lineCounter = new LineCounter();
  private readonly lines: string[];
  private readonly valueNodes = new Map<string, YamlNode>();
  private readonly keyNodes = new Map<string, YamlNode>();
  /** Pointers of strings changed by `${...}`: offsets inside them no longer map to the source. */
  private readonly substituted = new Set<string>();
  private readonly doc: Document;

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly env: Record<string, string | undefined>,
  ) {
    this.lines = text.split(/\r?\n/);
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: true });
    for (const error of this.doc.errors) {
      const code: DiagnosticCode = error.code === "DUPLICATE_KEY" ? "duplicate-name" : "yaml-syntax";
      const [start, end] = error.pos;
      this.report(code, error.message.split("\n")[0]!, { offset: start, length: Math.max(1, end - start) });
    }
    this.value = this.doc.contents ? this.walk(this.doc.contents as YamlNode, "", "") : {};
  }

  /** Builds a diagnostic at `range`; line and column come from the file's line table. */
  diagnostic(code: DiagnosticCode, message: string, range: Range, report: Report = {}): Diagnostic {
    const { line, col } = this.lineCounter.linePos(range.offset);
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
      sourceLine: this.lines[line - 1] ?? "",
    };
  }

  report(code: DiagnosticCode, message: string, range: Range, report: Report = {}): void {
    this.diagnostics.push(this.diagnostic(code, message, range, report));
  }

  /** Range of the value (or key) at `pointer`, or of its nearest ancestor present in the file. */
  at(pointer: string, part: "value" | "key" = "value"): Range {
    let current = pointer;
    for (;;) {
      const node = (part === "key" ? this.keyNodes.get(current) : undefined) ?? this.valueNodes.get(current);
      if (node?.range) return { offset: node.range[0], length: Math.max(1, node.range[1] - node.range[0]) };
      if (current === "") return { offset: 0, length: 0 };
      current = current.slice(0, current.lastIndexOf("/"));
      part = "key";
    }
  }

  /** Source range of characters `index..index+length` of the string scalar at `pointer`. */
  inScalar(pointer: string, index: number, length: number): Range {
    const node = this.valueNodes.get(pointer);
    if (!isScalar(node) || !node.range || this.substituted.has(pointer)) return this.at(pointer);
    const start = node.range[0];
    const raw = this.text.slice(start, node.range[1]);
    const value = String(node.value);
    let base: number | undefined;
    if (node.type === Scalar.PLAIN && raw.startsWith(value)) base = start;
    else if ((node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) && raw.slice(1).startsWith(value)) base = start + 1;
    if (base !== undefined) return { offset: base + index, length };
    // Escapes or a block scalar: find the line of the value holding `index` in the raw text (best effort).
    const lineStart = value.lastIndexOf("\n", index - 1) + 1;
    const lineText = value.slice(lineStart, value.indexOf("\n", lineStart) === -1 ? undefined : value.indexOf("\n", lineStart));
    const found = lineText ? raw.indexOf(lineText) : -1;
    return found === -1 ? this.at(pointer) : { offset: start + found + (index - lineStart), length };
  }

  private walk(node: YamlNode, pointer: string, key: string): unknown {
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return target ? this.walk(target as YamlNode, pointer, key) : null;
    }
    this.valueNodes.set(pointer, node);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const child = pointer + pointerOf(name);
        if (keyNode) this.keyNodes.set(child, keyNode);
        const value = pair.value ? this.walk(pair.value as YamlNode, child, name) : null;
        if (!pair.value && keyNode) this.valueNodes.set(child, keyNode);
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => (item ? this.walk(item as YamlNode, pointer + pointerOf(i), key) : null));
    if (isScalar(node)) return typeof node.value === "string" ? this.substitute(node.value, pointer, key) : node.value;
    return null;
  }

  private substitute(text: string, pointer: string, key: string): string {
    const result = substituteEnv(text, this.env);
    // A secret written inline is as secret as one read from the environment.
    if (SECRET_KEY.test(key) && result.value.length >= 4) this.secrets.add(result.value);
    if (!result.changed) return text;
    this.substituted.add(pointer);
    for (const missing of result.missing) {
      this.substituted.delete(pointer);
      const range = this.inScalar(pointer, missing.index, missing.length);
      this.substituted.add(pointer);
      this.report("missing-env", `environment variable ${missing.name} is not set`, range, {
        hint: `set ${missing.name}, or write \${${missing.name}:-default}`,
      });
    }
    if (SECRET_KEY.test(key)) for (const value of result.inserted) if (value.length >= 4) this.secrets.add(value);
    return result.value;
  }
}
