// One pass over a user turn: each word's place and lower-case hashes for the word tables, and the shapes
// of source code (operators, statement ends, identifiers, tags, fences, file names) counted on the way.

import {
  CJK, CLASS, DIGIT, FOLD, foldEndsWith, isWordChar, LETTER, LOWER, NEWLINE, SPACE, UNDER, UPPER,
} from "./chars.ts";
import { DECLARATION } from "./cues.ts";
import { STEM_KEY, type Words } from "./lexicon.ts";
import {
  API, AT, BIG_O, CJK_NEIGHBOUR, DECLARE, ERROR, EXTENSION, FILE, FROM, isCamel, isSnake, LOG_TAG, MEANINGFUL, NET,
  operatorLength, PACKAGE_ROOT, POWER, SELECT, SHELL, SPECIAL_FILTER, specialFlags, TRACE_EXTENSION, UNWRAP, WARNING,
} from "./word-shapes.ts";

// Sticky regexes, each tried only at the one position where the scan saw its first character.
const declaration = new RegExp(DECLARATION, "my");
const tag = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?>/y;
const indexAssign = /(?:\[\w*\])+\s*=[^=]/y;
const bigO = /\((?:n(?: log n|\^2|²)?|1)\)/iy;
const signatureEnd = /\)\s*(?:->\s*[\w\[\], ]+)?:\s*$/;
/** The longest `code span` counted as code; a stray backtick rarely closes this soon on the same line. */
const INLINE_CODE_MAX = 120;


/** What the characters of a word were: capitals, small letters, underscores, letters beyond ASCII. */
const HAS_UPPER = 1, HAS_LOWER = 2, HAS_UNDER = 4, HAS_OTHER = 8;
const SHAPE_OF = Uint8Array.from({ length: 9 }, (_, kind) =>
  kind === UPPER ? HAS_UPPER : kind === LOWER ? HAS_LOWER : kind === UNDER ? HAS_UNDER : kind === LETTER ? HAS_OTHER : 0,
);

/** What one pass found; reused from request to request by one classifier instance. */
export class Scan {
  readonly words: Words = {
    count: 0, start: new Int32Array(256), end: new Int32Array(256), hash: new Int32Array(256), key: new Int32Array(256 * STEM_KEY),
  };
  /** Code shapes found; only a handful matter, so counting stops being exact past that. */
  codeTokens = 0;
  fence = false;
  /** A word after which a stack trace may follow was seen. */
  traceTrigger = false;
  /** Distinct cues found by character shapes rather than words: `o(n)`, `.net`, CJK neighbours. */
  readonly strong: string[] = [];
  readonly weak: string[] = [];
  readonly negative: string[] = [];
  /** Runs of CJK characters as [start, end) pairs, looked up for ideographic cues afterwards. */
  readonly cjkRuns: number[] = [];

  /** Stops the scan at a line end once this much code is seen: set when nothing read later could change the answer. */
  stopAtCode = Number.POSITIVE_INFINITY;
  stopAtFence = false;

  private text = "";
  private lineStart = 0;
  private lineNonSpace = 0;
  private lineFirst = 0;
  private lineLast = 0;
  private selectEnd = -1;
  /** Where the code span being read closes: that backtick ends a span, it does not open one. */
  private spanClose = -1;

  run(text: string): void {
    this.reset(text);
    const n = text.length;
    let i = 0;
    while (i < n) {
      const code = text.charCodeAt(i);
      const kind = CLASS[code]!;
      if (kind === SPACE) i++;
      else if (kind === NEWLINE) {
        this.endLine(i);
        this.lineStart = ++i;
        if (this.codeTokens >= this.stopAtCode || (this.fence && this.stopAtFence)) return;
      } else if (kind === CJK) i = this.cjk(i);
      else if (kind !== 0) i = this.word(i);
      else i = this.symbol(i, code);
    }
    this.endLine(n);
  }

  private reset(text: string): void {
    this.text = text;
    this.words.count = 0;
    this.codeTokens = 0;
    this.fence = false;
    this.traceTrigger = false;
    this.strong.length = this.weak.length = this.negative.length = this.cjkRuns.length = 0;
    this.lineStart = this.lineNonSpace = 0;
    this.selectEnd = this.spanClose = -1;
  }

  private see(first: number, last: number, count: number): void {
    if (this.lineNonSpace === 0) this.lineFirst = first;
    this.lineLast = last;
    this.lineNonSpace += count;
  }

  private grow(): void {
    const words = this.words;
    const grow = (old: Int32Array) => {
      const next = new Int32Array(old.length * 2);
      next.set(old);
      return next;
    };
    words.start = grow(words.start);
    words.end = grow(words.end);
    words.hash = grow(words.hash);
    words.key = grow(words.key);
  }

  /** Reads one word: its hashes as it goes (lower-cased), then the shapes it makes with its neighbours. */
  private word(start: number): number {
    const text = this.text;
    const words = this.words;
    if (words.count === words.start.length) this.grow();
    const slot = words.count++;
    const keys = slot * STEM_KEY;
    let i = start, hash = 0, shape = 0;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const kind = CLASS[code]!;
      if (kind === 0 || kind >= CJK) break;
      shape |= SHAPE_OF[kind]!;
      hash = (Math.imul(hash, 31) + FOLD[code]!) | 0;
      if (i - start < STEM_KEY) words.key[keys + i - start] = hash;
    }
    words.start[slot] = start;
    words.end[slot] = i;
    words.hash[slot] = hash;
    const first = this.lineNonSpace === 0 || (this.lineNonSpace === 1 && this.lineLast === 35); // after "#"
    const flags = SPECIAL_FILTER.has(hash) ? specialFlags(text, start, i, hash) : 0;
    // Most words are plain prose: lower case or capitalised, not followed by "(". Only others are looked at closely.
    const last = text.charCodeAt(i - 1);
    const plain = shape === HAS_LOWER || (shape === (HAS_UPPER | HAS_LOWER) && CLASS[text.charCodeAt(start)] === UPPER);
    if ((!plain || flags !== 0 || text.charCodeAt(i) === 40) && (shape & HAS_OTHER) === 0) this.codeWord(start, i, shape, flags);
    if (i - start > 5 && (last === 114 || last === 110 || last === 103 || last === 82 || last === 78 || last === 71)) this.traceSuffix(start, i);
    if (flags !== 0) this.specialWord(start, i, shape, flags, first);
    if (this.lineNonSpace === 0) this.lineFirst = text.charCodeAt(start);
    this.lineLast = last;
    this.lineNonSpace += i - start;
    return i;
  }

  /** Shapes of identifiers: calls, camelCase, snake_case. */
  private codeWord(start: number, end: number, shape: number, flags: number): void {
    const text = this.text;
    const next = text.charCodeAt(end);
    const head = CLASS[text.charCodeAt(start)]!;
    if (next === 40 && head !== DIGIT) {
      if (text.charCodeAt(end + 1) === 41) this.codeTokens++;
      const words = this.words;
      const previous = words.count - 2;
      if (start > 0 && text.charCodeAt(start - 1) === 46 && previous >= 0 && words.end[previous] === start - 1 &&
        CLASS[text.charCodeAt(words.start[previous]!)]! !== DIGIT) {
        this.codeTokens++;
      }
    }
    if (head !== LOWER) return;
    if (shape === (HAS_UPPER | HAS_LOWER) && isCamel(text, start)) this.codeTokens++;
    else if (shape === (HAS_LOWER | HAS_UNDER) && isSnake(text, start, end)) this.codeTokens++;
    if ((flags & EXTENSION) !== 0 && shape === HAS_LOWER && start >= 2 && text.charCodeAt(start - 1) === 46) {
      const name = text.charCodeAt(start - 2);
      if (isWordChar(name) || name === 45) this.codeTokens++;
      if (next === 58 && (flags & TRACE_EXTENSION) !== 0) this.traceTrigger = true;
    }
  }

  /** "TypeError", "NullPointerException": a trace may follow; "error" inside a word is also an everyday word. */
  private traceSuffix(start: number, end: number): void {
    const text = this.text;
    const last = FOLD[text.charCodeAt(end - 1)];
    if (last === 114 && foldEndsWith(text, start, end, "error")) {
      this.traceTrigger = true;
      if (!foldEndsWith(text, start, start + 5, "error")) addDistinct(this.weak, "error");
    } else if ((last === 110 && foldEndsWith(text, start, end, "exception")) || (last === 103 && foldEndsWith(text, start, end, "warning"))) {
      this.traceTrigger = true;
    }
  }

  /** Words whose meaning depends on their case or on the characters around them. */
  private specialWord(start: number, end: number, shape: number, flags: number, first: boolean): void {
    const text = this.text;
    const next = text.charCodeAt(end);
    const after = text.charCodeAt(end + 1);
    const upper = shape === HAS_UPPER;
    if (first && (flags & DECLARE) !== 0) {
      declaration.lastIndex = this.lineStart;
      if (declaration.test(text)) this.codeTokens++;
    }
    if ((flags & SELECT) !== 0 && upper) this.selectEnd = end;
    else if ((flags & FROM) !== 0 && upper && this.selectEnd >= 0 && start - this.selectEnd >= 2 && start - this.selectEnd <= 201) {
      this.codeTokens++;
      this.selectEnd = -1;
    }
    if (next === 58 && (flags & (ERROR | WARNING | SHELL)) !== 0) this.traceTrigger = true;
    else if (next === 46 && (flags & PACKAGE_ROOT) !== 0) this.traceTrigger = true;
    else if (next === 91 && (flags & ERROR) !== 0) this.traceTrigger = true;
    else if (next === 40 && after === 41 && (flags & UNWRAP) !== 0) this.traceTrigger = true;
    else if (first && (((flags & AT) !== 0 && shape === HAS_LOWER && next === 32) || ((flags & LOG_TAG) !== 0 && upper && next === 47))) {
      this.traceTrigger = true;
    } else if ((flags & FILE) !== 0 && text.charCodeAt(start) === 70 && next === 32 && after === 34) this.traceTrigger = true;
    if ((flags & (BIG_O | POWER | NET | CJK_NEIGHBOUR | API)) !== 0) this.shapedWord(start, end, flags);
  }

  private shapedWord(start: number, end: number, flags: number): void {
    const text = this.text;
    const next = text.charCodeAt(end);
    if ((flags & BIG_O) !== 0 && next === 40) {
      bigO.lastIndex = end;
      if (bigO.test(text)) addDistinct(this.strong, "o(n)");
    } else if ((flags & POWER) !== 0 && next === 94 && CLASS[text.charCodeAt(end + 1)] === DIGIT && !isWordChar(text.charCodeAt(end + 2))) {
      addDistinct(this.negative, "x^");
    } else if ((flags & NET) !== 0 && start >= 2 && text.charCodeAt(start - 1) === 46 && isWordChar(text.charCodeAt(start - 2))) {
      addDistinct(this.strong, ".net");
    }
    if ((flags & (CJK_NEIGHBOUR | API)) === 0) return;
    const touchesBefore = (flags & CJK_NEIGHBOUR) !== 0 && start > 0 && CLASS[text.charCodeAt(start - 1)] === CJK;
    if (touchesBefore || CLASS[text.charCodeAt(end)] === CJK) addDistinct(this.strong, text.slice(start, end).toLowerCase());
  }

  private cjk(start: number): number {
    let i = start + 1;
    while (i < this.text.length && CLASS[this.text.charCodeAt(i)] === CJK) i++;
    this.cjkRuns.push(start, i);
    this.see(this.text.charCodeAt(start), this.text.charCodeAt(i - 1), i - start);
    return i;
  }

  private symbol(i: number, code: number): number {
    const text = this.text;
    if (code >= 128 || MEANINGFUL[code] === 0) {
      this.see(code, code, 1);
      return i + 1;
    }
    const next = text.charCodeAt(i + 1);
    let length = 1;
    if (code === 96) {
      while (text.charCodeAt(i + length) === 96) length++;
      if (length >= 3) this.fence = true;
      else if (length === 1 && i !== this.spanClose) {
        this.spanClose = this.inlineCodeEnd(i);
        if (this.spanClose >= 0) this.codeTokens++;
      }
    } else if (code === 36) {
      const kind = CLASS[next];
      if (kind === LOWER || kind === UPPER || kind === UNDER || next === 123 || next === 40) this.codeTokens++;
    } else if (code === 91) {
      if (next === 45 && text.charCodeAt(i + 2) === 87) this.traceTrigger = true;
      else if (i > 0 && isWordChar(text.charCodeAt(i - 1))) this.tryAt(indexAssign, i);
    } else if (code === 60 && (next === 47 || CLASS[next] === LOWER)) this.tryAt(tag, i);
    else if (code === 45 && this.isFlag(i)) this.codeTokens++;
    const operator = operatorLength(text, i, code, next);
    if (operator > 0) {
      this.codeTokens++;
      length = operator;
    }
    this.see(code, text.charCodeAt(i + length - 1), length);
    return i + length;
  }

  private tryAt(pattern: RegExp, at: number): void {
    pattern.lastIndex = at;
    if (pattern.test(this.text)) this.codeTokens++;
  }

  /**
   * Where the Markdown code span opened at `i` closes: a backtick on the same line, something
   * between, within INLINE_CODE_MAX; -1 if none. Looks no further, so a long line costs no more.
   */
  private inlineCodeEnd(i: number): number {
    const text = this.text;
    const last = Math.min(text.length, i + INLINE_CODE_MAX + 1);
    for (let j = i + 1; j < last; j++) {
      const code = text.charCodeAt(j);
      if (code === 96) return j > i + 1 ? j : -1;
      if (code === 10 || code === 13) return -1;
    }
    return -1;
  }

  /** `-x`/`--name` after whitespace: a command-line flag. */
  private isFlag(i: number): boolean {
    const text = this.text;
    const before = i > 0 ? CLASS[text.charCodeAt(i - 1)] : NEWLINE;
    if (i > 0 && before !== SPACE && before !== NEWLINE) return false;
    let j = i + 1;
    if (text.charCodeAt(j) === 45) j++;
    const after = text.charCodeAt(j + 1);
    return CLASS[text.charCodeAt(j)] === LOWER && (CLASS[after] === LOWER || after === 45);
  }

  /** Lines that end a statement or open a block, that only close one, or that end a signature. */
  private endLine(end: number): void {
    const count = this.lineNonSpace;
    if (count === 0) return;
    const first = this.lineFirst;
    const last = this.lineLast;
    if (last === 59 || last === 123) this.codeTokens++;
    const closer = first === 125 || first === 93 || first === 41;
    if (closer && (count === 1 || (count === 2 && last === 59))) this.codeTokens++;
    if (last === 58 && signatureEnd.test(this.text.slice(this.lineStart, end))) this.codeTokens++;
    this.lineNonSpace = 0;
  }
}


export function addDistinct(found: string[], id: string): void {
  if (!found.includes(id)) found.push(id);
}
