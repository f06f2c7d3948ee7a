// Tokenizer of the expression language: every token keeps its offset and length in the source.

import { DURATION_UNIT_MS } from "../duration.ts";
import type { ExpressionError } from "./types.ts";

export type TokenKind =
  | "name"
  | "string"
  | "number"
  | "duration"
  | "keyword"
  | "op"
  | "("
  | ")"
  | "["
  | "]"
  | ","
  | "end";

export interface Token {
  kind: TokenKind;
  /** Source text for names, keywords and operators; the unescaped value for strings. */
  text: string;
  /** Numbers as written; durations in milliseconds. */
  number?: number;
  offset: number;
  length: number;
}

export const KEYWORDS: ReadonlySet<string> = new Set(["and", "or", "not", "in", "true", "false"]);
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'" };

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isLetter = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const isNameStart = (c: string | undefined) => c !== undefined && (isLetter(c) || c === "_");
// Header names contain `-`; the language has no minus operator, so `-` can live inside names.
const isNamePart = (c: string | undefined) => c !== undefined && (isLetter(c) || isDigit(c) || c === "_" || c === "." || c === "-");
const WHITESPACE = /\s/;
const isSpace = (c: string) => c === " " || WHITESPACE.test(c);

export class LexError extends Error {
  constructor(readonly error: ExpressionError) {
    super(error.message);
  }
}

function syntax(message: string, offset: number, length: number, hint?: string): LexError {
  return new LexError({ code: "expr-syntax", message, offset, length, ...(hint ? { hint } : {}) });
}

function readString(source: string, start: number): Token {
  const quote = source[start]!;
  let value = "";
  let i = start + 1;
  while (i < source.length && source[i] !== quote) {
    if (source[i] === "\\") {
      const escaped = ESCAPES[source[i + 1] ?? ""];
      if (escaped === undefined) throw syntax(`unknown escape "\\${source[i + 1] ?? ""}"`, i, 2);
      value += escaped;
      i += 2;
    } else {
      value += source[i];
      i += 1;
    }
  }
  if (i >= source.length) throw syntax("string is not closed", start, source.length - start, `add a closing ${quote}`);
  return { kind: "string", text: value, offset: start, length: i + 1 - start };
}

const COUNT_SUFFIX: Record<string, number> = { k: 1_000, K: 1_000, M: 1_000_000 };
/** A table's own entry: `1constructor` names no unit, whatever Object.prototype holds. */
const own = (table: Record<string, number>, key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);

/** End of the digits from `i` on. */
function digitsEnd(source: string, i: number): number {
  while (isDigit(source[i])) i++;
  return i;
}

/** End of an exponent (`e5`, `E-3`, `e+10`) at `i`, or `i` when none is there. */
function exponentEnd(source: string, i: number): number {
  if (source[i] !== "e" && source[i] !== "E") return i;
  const sign = source[i + 1] === "+" || source[i + 1] === "-" ? 1 : 0;
  return isDigit(source[i + 1 + sign]) ? digitsEnd(source, i + 1 + sign) : i;
}

/** A number (`3`, `-1`, `0.25`, `1e5`, `2.5E-3`) or a duration (`250ms`, `1.5s`), from `start` (a digit, or a `-` before one). */
function readNumber(source: string, start: number): Token {
  let i = digitsEnd(source, source[start] === "-" ? start + 1 : start);
  if (source[i] === "." && isDigit(source[i + 1])) i = digitsEnd(source, i + 1);
  const mantissaEnd = i;
  i = exponentEnd(source, i);
  const value = Number(source.slice(start, i));
  let unitEnd = i;
  while (/[a-z]/i.test(source[unitEnd] ?? "")) unitEnd++;
  if (unitEnd === i) return { kind: "number", text: source.slice(start, i), number: value, offset: start, length: i - start };
  const unit = source.slice(i, unitEnd);
  const factor = own(DURATION_UNIT_MS, unit);
  if (factor === undefined) {
    // "10k tokens": a count's shorthand, which durations' "m" (minutes) makes ambiguous, so not one of ours.
    const count = own(COUNT_SUFFIX, unit);
    if (count !== undefined) throw syntax(`"${unit}" after a number is not a unit`, start, unitEnd - start, `write the number in full: ${Number((value * count).toPrecision(12))}`);
    if (unit === "e" || unit === "E") throw syntax("an exponent needs digits", start, unitEnd - start, `write them after the "${unit}", like 1e5 or 2.5e-3`);
    throw syntax(`unknown duration unit "${unit}"`, start, unitEnd - start, "durations are written like 250ms, 2s, 1.5s or 1m");
  }
  if (i > mantissaEnd) throw syntax("a duration takes no exponent", start, unitEnd - start, `write it in full: ${Number(value.toPrecision(12))}${unit}`);
  if (value < 0) throw syntax("a duration cannot be negative", start, unitEnd - start, "durations are never negative: write one like 250ms or 2s");
  const text = source.slice(start, unitEnd);
  return { kind: "duration", text, number: value * factor, offset: start, length: unitEnd - start };
}

function readOperator(source: string, start: number): Token | undefined {
  const two = source.slice(start, start + 2);
  if (two === "==" || two === "!=" || two === "<=" || two === ">=") return { kind: "op", text: two, offset: start, length: 2 };
  const one = source[start]!;
  if (one === "<" || one === ">") return { kind: "op", text: one, offset: start, length: 1 };
  if ("()[],".includes(one)) return { kind: one as TokenKind, text: one, offset: start, length: 1 };
  return undefined;
}

/** What to write instead of a character the language does not have. */
const HINTS: Readonly<Record<string, string>> = {
  "=": 'compare with "=="',
  "&": 'write "and" / "or"',
  "|": 'write "and" / "or"',
  "!": 'write "not"',
  "-": "a minus is only a negative number's sign, written against its digits: -1",
};

/** Splits `source` into tokens, ending with an `end` token; throws LexError on a bad character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    let token: Token | undefined;
    if (c === '"' || c === "'") token = readString(source, i);
    // A minus is a number's sign, written against its digits: the language has no subtraction.
    else if (isDigit(c) || (c === "-" && isDigit(source[i + 1]))) token = readNumber(source, i);
    else if (isNameStart(c)) {
      let end = i + 1;
      while (isNamePart(source[end])) end++;
      const text = source.slice(i, end);
      token = { kind: KEYWORDS.has(text) ? "keyword" : "name", text, offset: i, length: end - i };
    } else token = readOperator(source, i);
    if (!token) {
      const hint = HINTS[c];
      throw syntax(`unexpected character "${c}"`, i, 1, hint);
    }
    tokens.push(token);
    i = token.offset + token.length;
  }
  tokens.push({ kind: "end", text: "", offset: source.length, length: 0 });
  return tokens;
}
