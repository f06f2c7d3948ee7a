// The built-in coding detector: weighs what one scan of a user turn found into evidence for a label.
// The word tables are built once per classifier; a request costs one scan and one lookup per word.

import { MENTION, NEGATIVE, SOFTWARE_NOUNS, STRONG, STRONG_CJK, SYMPTOMS, TRACE_SHAPES, TRACE_WORDS, WEAK, WEAK_CJK, NEGATIVE_CJK } from "./cues.ts";
import * as lex from "./lexicon.ts";
import { foldEquals, foldStartsWith, isWordChar } from "./chars.ts";
import { STEM_KEY } from "./lexicon.ts";
import { addDistinct, Scan } from "./scanner.ts";

/** The detectors a label may switch on. */
export const DETECTOR_NAMES = ["code", "stack-trace", "prose"] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/**
 * A detector's verdict. `hard` evidence (code, traces, unmistakable phrases) always counts;
 * `soft` evidence (ambiguous words) counts only as far as `negative` context does not cancel it.
 */
export interface Evidence {
  hard: number;
  soft: number;
  negative: number;
}

const WEIGHTS = {
  fence: 3,
  codeToken: 0.6,
  codeMax: 3,
  traceFirst: 2,
  traceMore: 3,
  strong: 1,
  strongMax: 4,
  weak: 0.4,
  weakMax: 1.2,
  bugReport: 1,
  negative: 1.5,
  negativeMax: 4,
} as const;

/** Prose cues are read in the head and tail of a turn, where people state what they want. */
const PROSE_HEAD = 1536;
const PROSE_TAIL = 512;

let builtIn: lex.Lexicon | undefined;

/** The built-in cues as word tables; built on first use and shared, never changed afterwards. */
export function builtInLexicon(): lex.Lexicon {
  if (builtIn) return builtIn;
  const lexicon = lex.createLexicon();
  const groups: [readonly string[], number][] = [
    [STRONG, lex.STRONG], [WEAK, lex.WEAK], [NEGATIVE, lex.NEGATIVE],
    [SOFTWARE_NOUNS, lex.NOUN], [SYMPTOMS, lex.SYMPTOM], [MENTION, lex.MENTION], [TRACE_WORDS, lex.TRACE],
  ];
  for (const [specs, group] of groups) for (const spec of specs) lex.addSpec(lexicon, spec, group);
  lex.addCjk(lexicon, STRONG_CJK, lex.STRONG);
  lex.addCjk(lexicon, WEAK_CJK, lex.WEAK);
  lex.addCjk(lexicon, NEGATIVE_CJK, lex.NEGATIVE);
  return (builtIn = lexicon);
}

/** How far from a cue an opening quote, and then its closing quote, are looked for. */
const QUOTE_REACH = 64;
const APOSTROPHE = 39, QUOTE = 34, RIGHT_SINGLE = 0x2019, LEFT_SINGLE = 0x2018, LEFT_DOUBLE = 0x201c, RIGHT_DOUBLE = 0x201d;
const LOW_DOUBLE = 0x201e, LEFT_GUILLEMET = 0xab, RIGHT_GUILLEMET = 0xbb;

function isQuoteChar(code: number): boolean {
  return code === APOSTROPHE || code === QUOTE || code === LEFT_SINGLE || code === RIGHT_SINGLE || code === LEFT_DOUBLE ||
    code === RIGHT_DOUBLE || code === LOW_DOUBLE || code === LEFT_GUILLEMET || code === RIGHT_GUILLEMET;
}

/** 1 if the quote character at `j` opens a quotation, -1 if it closes one, 0 if neither (an apostrophe in "don't"). */
function quoteSide(text: string, j: number): number {
  const code = text.charCodeAt(j);
  if (code === LEFT_GUILLEMET) return 1;
  if (code === RIGHT_GUILLEMET) return -1;
  const before = j > 0 && isWordChar(text.charCodeAt(j - 1));
  const after = j + 1 < text.length && isWordChar(text.charCodeAt(j + 1));
  if (before === after) return 0;
  return after ? 1 : -1;
}

/**
 * Whether the word starting at `start` stands inside a quotation on its line ("Translate 'stack trace' into French"):
 * an opening quote before it, with no closing one between, and a closing quote after it. Asked only for the cues of
 * a mention's second reading, and never further than QUOTE_REACH either way.
 */
function isQuoted(text: string, start: number): boolean {
  let open = -1;
  for (let j = start - 1; j >= 0 && j >= start - QUOTE_REACH; j--) {
    const code = text.charCodeAt(j);
    if (code === 10) return false;
    if (!isQuoteChar(code)) continue;
    const side = quoteSide(text, j);
    if (side < 0) return false;
    if (side > 0) {
      open = j;
      break;
    }
  }
  if (open < 0) return false;
  const limit = Math.min(text.length, start + QUOTE_REACH);
  for (let j = start; j < limit; j++) {
    const code = text.charCodeAt(j);
    if (code === 10) return false;
    if (isQuoteChar(code) && quoteSide(text, j) < 0) return true;
  }
  return false;
}

const traceShapes = TRACE_SHAPES.map((shape) => new RegExp(shape, "gm"));

/** How many different trace shapes (case folded) the text holds, stopping at two. */
function traceShapeCount(text: string): number {
  let first: string | undefined;
  for (const pattern of traceShapes) {
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const found = match[0].toLowerCase();
      if (first === undefined) first = found;
      else if (found !== first) return 2;
    }
  }
  return first === undefined ? 0 : 1;
}

/** Everything one request's text says, for every label: read once, then weighed per label. */
export class Reading {
  readonly scan = new Scan();
  noun = false;
  symptom = false;
  /** The turn asks about words (translate, how do you say): the terms it quotes are mentioned, not used. */
  mention = false;
  /** For each user keyword (by index): 1 found, 2 found only inside quotes, 0 not found. */
  readonly keywords: Uint8Array;
  private traces = -1;
  /** Set for a second reading of a mention: cues inside quotes are then left out. */
  private skipQuoted = false;

  constructor(private readonly lexicon: lex.Lexicon, keywordCount: number) {
    this.keywords = new Uint8Array(keywordCount);
  }

  /**
   * For a classifier whose only label has the `code` detector: code evidence can never be cancelled, so once it
   * reaches the threshold the answer is known and the rest of the text need not be read.
   */
  settleOnCode(threshold: number): void {
    this.scan.stopAtFence = WEIGHTS.fence >= threshold;
    if (threshold <= WEIGHTS.codeMax) this.scan.stopAtCode = Math.ceil(threshold / WEIGHTS.codeToken - 1e-9);
  }

  read(text: string): void {
    this.scan.run(text);
    this.mention = false;
    this.traces = -1;
    const scan = this.scan;
    // What the scan itself found comes first in these lists; the word tables' cues follow.
    const strong = scan.strong.length, weak = scan.weak.length, negative = scan.negative.length;
    this.lookUpWords(text);
    if (!this.mention) return;
    // A request about words ("translate 'stack trace' into French"), rare: read the words again, leaving out the
    // cues inside quotes. Only such a request pays for finding its quotes.
    scan.strong.length = strong;
    scan.weak.length = weak;
    scan.negative.length = negative;
    this.skipQuoted = true;
    this.lookUpWords(text);
    this.skipQuoted = false;
    this.mention = true;
  }

  private lookUpWords(text: string): void {
    this.noun = this.symptom = false;
    this.keywords.fill(0);
    const long = text.length > PROSE_HEAD + PROSE_TAIL;
    this.lookUpAll(text, long ? PROSE_HEAD : text.length, long ? text.length - PROSE_TAIL : text.length);
    this.lookUpCjk(text);
  }

  /** Most words are in no table: the filters turn them away here, in a tight loop, before any map is asked. */
  private lookUpAll(text: string, head: number, tail: number): void {
    const { count, start, hash, key } = this.scan.words;
    const lexicon = this.lexicon;
    const lengths = lexicon.stemKeyLengths;
    for (let i = 0; i < count; i++) {
      const at = start[i]!;
      const prose = at < head || at >= tail;
      let candidate = (prose ? lexicon.exactFilter : lexicon.exactAnywhere).has(hash[i]!);
      for (let k = 0; k < lengths.length && !candidate; k++) {
        candidate = (prose ? lexicon.stemFilter : lexicon.stemAnywhere).has(key[i * STEM_KEY + lengths[k]! - 1]!);
      }
      if (candidate) this.lookUp(text, i, prose);
    }
  }

  private lookUp(text: string, i: number, prose: boolean): void {
    const lexicon = this.lexicon;
    const words = this.scan.words;
    const start = words.start[i]!;
    const end = words.end[i]!;
    const hash = words.hash[i]!;
    const exact = (prose ? lexicon.exactFilter : lexicon.exactAnywhere).has(hash) ? lexicon.exact.get(hash) : undefined;
    if (exact) for (const keyed of exact) if (foldEquals(text, start, end, keyed.word)) this.apply(text, keyed.entry, i, prose);
    for (const length of lexicon.stemKeyLengths) {
      const key = words.key[i * STEM_KEY + length - 1]!;
      if (end - start < length || !(prose ? lexicon.stemFilter : lexicon.stemAnywhere).has(key)) continue;
      const stems = lexicon.stems.get(key);
      if (stems) for (const keyed of stems) if (foldStartsWith(text, start, end, keyed.word)) this.apply(text, keyed.entry, i, prose);
    }
  }

  private apply(text: string, entry: lex.Entry, i: number, prose: boolean): void {
    for (const cue of entry.cues) this.add(cue, text, i, prose);
    const words = this.scan.words;
    const next = entry.byNext.size > 0 && i + 1 < words.count ? entry.byNext.get(words.hash[i + 1]!) : undefined;
    if (next) this.applyPhrases(text, next, i, prose);
    if (entry.phrases.length > 0) this.applyPhrases(text, entry.phrases, i, prose);
  }

  private applyPhrases(text: string, phrases: readonly lex.Phrase[], i: number, prose: boolean): void {
    for (const phrase of phrases) {
      if (!prose && phrase.cue.group < lex.TRACE) continue;
      if (lex.matchPhrase(text, this.scan.words, i, phrase) >= 0) this.add(phrase.cue, text, i, prose);
    }
  }

  /** Counts a cue; a cue without an id of its own counts by the word found, made a string only now. */
  private add(cue: lex.Cue, text: string, i: number, prose: boolean): void {
    const group = cue.group;
    const quoted = this.skipQuoted && group !== lex.NEGATIVE && isQuoted(text, this.scan.words.start[i]!);
    if (group === lex.KEYWORD) {
      // Whether a mention cancels a keyword found only in quotes is its label's to say: 2 keeps that apart.
      if (this.keywords[cue.index] !== 1) this.keywords[cue.index] = quoted ? 2 : 1;
    } else if (group === lex.TRACE) this.scan.traceTrigger = true;
    else if (!prose || quoted) return;
    else if (group === lex.MENTION) this.mention = true;
    else if (group === lex.NOUN) this.noun = true;
    else if (group === lex.SYMPTOM) this.symptom = true;
    else {
      const words = this.scan.words;
      const id = cue.id ?? text.slice(words.start[i]!, words.end[i]!).toLowerCase();
      addDistinct(group === lex.STRONG ? this.scan.strong : group === lex.WEAK ? this.scan.weak : this.scan.negative, id);
    }
  }

  /** Ideographic cues have no spaces around them: look for them at every position of a run. */
  private lookUpCjk(text: string): void {
    const runs = this.scan.cjkRuns;
    const { cjk, cjkLengths } = this.lexicon;
    const tail = text.length - PROSE_TAIL;
    for (let r = 0; r < runs.length; r += 2) {
      const end = runs[r + 1]!;
      for (let i = runs[r]!; i < end; i++) {
        if (text.length > PROSE_HEAD + PROSE_TAIL && i >= PROSE_HEAD && i < tail) continue;
        for (const length of cjkLengths) {
          const cue = i + length <= end ? cjk.get(text.slice(i, i + length)) : undefined;
          if (cue) addDistinct(cue.group === lex.STRONG ? this.scan.strong : cue.group === lex.WEAK ? this.scan.weak : this.scan.negative, cue.id!);
        }
      }
    }
  }

  /** The detectors' evidence for one label; trace shapes are matched at most once per reading. */
  evidence(detectors: ReadonlySet<DetectorName>, text: string): Evidence {
    const scan = this.scan;
    const evidence: Evidence = { hard: 0, soft: 0, negative: 0 };
    if (detectors.has("code")) {
      evidence.hard += scan.fence ? WEIGHTS.fence : Math.min(WEIGHTS.codeMax, scan.codeTokens * WEIGHTS.codeToken);
    }
    if (detectors.has("stack-trace") && scan.traceTrigger) {
      if (this.traces < 0) this.traces = traceShapeCount(text);
      evidence.hard += this.traces === 0 ? 0 : this.traces === 1 ? WEIGHTS.traceFirst : WEIGHTS.traceMore;
    }
    if (detectors.has("prose")) {
      evidence.hard += Math.min(WEIGHTS.strongMax, scan.strong.length) * WEIGHTS.strong;
      evidence.soft += Math.min(WEIGHTS.weakMax, scan.weak.length * WEIGHTS.weak);
      if (this.noun && this.symptom) evidence.soft += WEIGHTS.bugReport;
      evidence.negative += Math.min(WEIGHTS.negativeMax, scan.negative.length) * WEIGHTS.negative;
    }
    return evidence;
  }
}
