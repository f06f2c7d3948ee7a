// Recursive-descent parser of the expression language into a small syntax tree with source spans.
// Precedence, loosest first: or, and, not, comparison (== != < <= > >= in, not in).

import { LexError, tokenize, type Token } from "./lexer.ts";
import type { ExpressionError } from "./types.ts";

/** Words other languages test a list with, where ours writes `x in list`. */
const MEMBERSHIP_WORDS = new Set(["contains", "includes", "has"]);

export interface Span {
  offset: number;
  length: number;
}

export type Literal = string | number | boolean;

export type Node = Span &
  (
    | { kind: "fact"; name: string }
    | { kind: "literal"; value: Literal; literal: "string" | "number" | "duration" | "boolean" }
    | { kind: "list"; items: Node[] }
    | { kind: "not"; operand: Node }
    | { kind: "logic"; op: "and" | "or"; left: Node; right: Node }
    | { kind: "compare"; op: CompareOp; left: Node; right: Node; opSpan: Span }
  );

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in";

function span(from: Span, to: Span): Span {
  return { offset: from.offset, length: to.offset + to.length - from.offset };
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private get current(): Token {
    return this.tokens[this.index]!;
  }

  /** A method, not a getter, so TypeScript does not narrow it across calls that advance. */
  private kind(): Token["kind"] {
    return this.current.kind;
  }

  private peek(ahead = 1): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  private isKeyword(text: string, token = this.current): boolean {
    return token.kind === "keyword" && token.text === text;
  }

  private fail(message: string, token: Span & { kind?: string } = this.current, hint?: string): never {
    const length = token.kind === "end" ? 0 : token.length;
    throw new LexError({ code: "expr-syntax", message, offset: token.offset, length, ...(hint ? { hint } : {}) });
  }

  parseAll(): Node {
    if (this.kind() === "end") this.fail("expression is empty");
    const node = this.parseOr();
    if (this.kind() !== "end") {
      const membership = MEMBERSHIP_WORDS.has(this.current.text);
      this.fail(`unexpected "${this.current.text}"`, this.current, membership ? 'test a list with "in": "vip" in key.tags' : 'join conditions with "and" / "or"');
    }
    return node;
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.isKeyword("or")) {
      this.index++;
      const right = this.parseAnd();
      left = { kind: "logic", op: "or", left, right, ...span(left, right) };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseNot();
    while (this.isKeyword("and")) {
      this.index++;
      const right = this.parseNot();
      left = { kind: "logic", op: "and", left, right, ...span(left, right) };
    }
    return left;
  }

  private parseNot(): Node {
    if (this.isKeyword("not")) {
      const start = this.current;
      this.index++;
      const operand = this.parseNot();
      return { kind: "not", operand, ...span(start, operand) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Node {
    const left = this.parsePrimary();
    const token = this.current;
    let op: CompareOp | undefined;
    let opSpan: Span = token;
    if (token.kind === "op") op = token.text as CompareOp;
    else if (this.isKeyword("in")) op = "in";
    else if (this.isKeyword("not") && this.isKeyword("in", this.peek())) {
      op = "not in";
      opSpan = span(token, this.peek());
      this.index++;
    }
    if (op === undefined) return left;
    this.index++;
    const right = this.parsePrimary();
    if (this.kind() === "op") this.fail("comparisons cannot be chained", this.current, 'join them with "and"');
    return { kind: "compare", op, left, right, opSpan, ...span(left, right) };
  }

  private parsePrimary(): Node {
    const token = this.current;
    switch (token.kind) {
      case "(": {
        this.index++;
        const inner = this.parseOr();
        // At the end, the caret goes under the "(" left open; before another token, under that token.
        if (this.kind() === "end") this.fail('"(" is not closed', token, 'add a ")" where the group ends');
        if (this.kind() !== ")") this.fail('expected ")"', this.current, 'to close the "(" before it');
        const close = this.current;
        this.index++;
        return { ...inner, ...span(token, close) };
      }
      case "[":
        return this.parseList();
      case "string":
        this.index++;
        return { kind: "literal", literal: "string", value: token.text, offset: token.offset, length: token.length };
      case "number":
      case "duration":
        this.index++;
        return { kind: "literal", literal: token.kind, value: token.number!, offset: token.offset, length: token.length };
      case "name":
        this.index++;
        return { kind: "fact", name: token.text, offset: token.offset, length: token.length };
      case "keyword":
        if (token.text === "true" || token.text === "false") {
          this.index++;
          return { kind: "literal", literal: "boolean", value: token.text === "true", offset: token.offset, length: token.length };
        }
        return this.fail(`unexpected "${token.text}"`);
      case "end":
        return this.fail("expression ends too early", token, "a value or a fact name is missing");
      default:
        return this.fail(`unexpected "${token.text}"`);
    }
  }

  private parseList(): Node {
    const open = this.current;
    this.index++;
    const items: Node[] = [];
    while (this.kind() !== "]") {
      const item = this.parsePrimary();
      if (item.kind !== "literal") this.fail("list items must be strings, numbers, durations or booleans", item);
      items.push(item);
      if (this.kind() === ",") this.index++;
      else if (this.kind() !== "]") this.fail('expected "," or "]"');
    }
    const close = this.current;
    this.index++;
    return { kind: "list", items, ...span(open, close) };
  }
}

export type ParseResult = { ok: true; node: Node } | { ok: false; error: ExpressionError };

export function parse(source: string): ParseResult {
  try {
    return { ok: true, node: new Parser(tokenize(source)).parseAll() };
  } catch (error) {
    if (error instanceof LexError) return { ok: false, error: error.error };
    throw error;
  }
}
