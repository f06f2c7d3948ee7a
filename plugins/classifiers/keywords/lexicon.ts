// Word tables of the classifier: cue specs expanded into a first-word map, built once per classifier.
// A request's words are looked up here one by one; phrases are followed word by word from their first.

import { foldEquals, foldStartsWith, HashFilter, hashOf } from "./chars.ts";

/**
 * What a cue adds to: the detector's groups, a trace trigger, or a user keyword (by its index).
 * Groups below TRACE are read in the prose window only; TRACE and KEYWORD anywhere in the turn.
 */
export const STRONG = 0;
export const WEAK = 1;
export const NEGATIVE = 2;
export const NOUN = 3;
export const SYMPTOM = 4;
/** A request about words themselves (translate, how do you say): terms it quotes are mentioned, not used. */
export const MENTION = 5;
export const TRACE = 6;
export const KEYWORD = 7;

export interface Cue {
  group: number;
  /** For KEYWORD, the keyword's index; unused otherwise. */
  index: number;
  /** What distinct hits are counted by; null: the matched word itself. */
  id: string | null;
}

/** One word of a phrase: exact, a stem (`prefix`), or any word (`null`). */
interface Step {
  word: string | null;
  hash: number;
  prefix: boolean;
  /** The separator required before this word: " " (any one whitespace) or the character itself. */
  gap: number;
}

export interface Phrase {
  /** The steps after the first word. */
  rest: Step[];
  unless: Step[][];
  cue: Cue;
}

export interface Entry {
  cues: Cue[];
  /** Phrases by the hash of their exact second word, so a common first word ("our") tries only a few. */
  byNext: Map<number, Phrase[]>;
  /** Phrases whose second word is a stem or any word. */
  phrases: Phrase[];
}

function emptyEntry(): Entry {
  return { cues: [], byNext: new Map(), phrases: [] };
}

/** A word or a stem with what it cues; several share a hash only by collision. */
interface Keyed {
  word: string;
  entry: Entry;
}

export interface Lexicon {
  /** Whole words by hash, and a filter that rejects most other words before the map is asked. */
  exact: Map<number, Keyed[]>;
  exactFilter: HashFilter;
  stemFilter: HashFilter;
  /** The same for words that cue something outside the prose window too: keywords and trace words. */
  exactAnywhere: HashFilter;
  stemAnywhere: HashFilter;
  /** Stems by the hash of their first STEM_KEY characters (all of them for shorter stems). */
  stems: Map<number, Keyed[]>;
  /** The key lengths present in `stems`, so a lookup tries only those. */
  stemKeyLengths: number[];
  /** Ideographic cues, looked up as substrings of CJK runs. */
  cjk: Map<string, Cue>;
  cjkLengths: number[];
}

export const STEM_KEY = 4;
const SPACE = 32;

/** Expands the first `(a|b)` or `(a|b)?` choice of a spec, recursively, into plain specs. */
export function expand(spec: string): string[] {
  const open = spec.indexOf("(");
  if (open < 0) return [spec.replace(/\s+/g, " ").trim()];
  const close = spec.indexOf(")", open);
  const optional = spec[close + 1] === "?";
  const choices = spec.slice(open + 1, close).split("|");
  if (optional) choices.push("");
  const tail = spec.slice(close + (optional ? 2 : 1));
  return choices.flatMap((choice) => expand(spec.slice(0, open) + choice + tail));
}

/** Splits one plain spec into its steps: spaces and the separators inside a word. */
function steps(spec: string): Step[] {
  const result: Step[] = [];
  for (const token of spec.split(" ")) {
    const parts = token.split(/(?=[-/.'])|(?<=[-/.'])/);
    let gap = SPACE;
    for (const part of parts) {
      if (part.length === 1 && "-/.'".includes(part)) {
        gap = part.charCodeAt(0);
        continue;
      }
      const prefix = part.endsWith("*") || part.endsWith("+");
      const word = prefix ? part.slice(0, -1) : part;
      const lower = word.toLowerCase();
      result.push({ word: word === "_" ? null : lower, hash: hashOf(lower), prefix, gap });
      gap = SPACE;
    }
  }
  return result;
}

export function createLexicon(): Lexicon {
  return {
    exact: new Map(), exactFilter: new HashFilter(), stemFilter: new HashFilter(), exactAnywhere: new HashFilter(),
    stemAnywhere: new HashFilter(), stems: new Map(), stemKeyLengths: [],
    cjk: new Map(), cjkLengths: [],
  };
}

function entryFor(lexicon: Lexicon, first: Step, anywhere: boolean): Entry {
  const word = first.word!;
  const keyLength = first.prefix ? Math.min(STEM_KEY, word.length) : word.length;
  const map = first.prefix ? lexicon.stems : lexicon.exact;
  const hash = hashOf(word, keyLength);
  let list = map.get(hash);
  if (!list) map.set(hash, (list = []));
  (first.prefix ? lexicon.stemFilter : lexicon.exactFilter).add(hash);
  if (anywhere) (first.prefix ? lexicon.stemAnywhere : lexicon.exactAnywhere).add(hash);
  let keyed = list.find((candidate) => candidate.word === word);
  if (!keyed) list.push((keyed = { word, entry: emptyEntry() }));
  if (first.prefix && !lexicon.stemKeyLengths.includes(keyLength)) lexicon.stemKeyLengths.push(keyLength);
  return keyed.entry;
}

/** Adds every expansion of `spec` to the lexicon under `group`. */
export function addSpec(lexicon: Lexicon, spec: string, group: number, index = 0): void {
  const bang = spec.indexOf(" !(");
  const unless = bang < 0 ? [] : expand(spec.slice(bang + 2)).map(steps);
  for (const plain of expand(bang < 0 ? spec : spec.slice(0, bang))) {
    const [first, ...rest] = steps(plain);
    if (!first?.word) continue;
    // Stems marked `+` count by the stem, as the literal they are; `*` by the whole word found.
    // A whole word counts as itself: give it that id now, so that no string is made per request.
    const id = rest.length > 0 || group === KEYWORD ? plain : plain.endsWith("+") || !first.prefix ? first.word : null;
    const cue: Cue = { group, index, id };
    const entry = entryFor(lexicon, first, group >= TRACE);
    const second = rest[0];
    // A single word with exclusions is a phrase of one word, so that its exclusions are read.
    if (!second) {
      if (unless.length > 0) entry.phrases.push({ rest, unless, cue });
      else entry.cues.push(cue);
    } else if (second.word === null || second.prefix) entry.phrases.push({ rest, unless, cue });
    else entry.byNext.set(second.hash, [...(entry.byNext.get(second.hash) ?? []), { rest, unless, cue }]);
  }
}

export function addCjk(lexicon: Lexicon, words: readonly string[], group: number): void {
  for (const word of words) {
    lexicon.cjk.set(word, { group, index: 0, id: word });
    if (!lexicon.cjkLengths.includes(word.length)) lexicon.cjkLengths.push(word.length);
  }
}

/** A copy whose maps and lists can be extended without touching the original's. */
export function cloneLexicon(source: Lexicon): Lexicon {
  const copy = (list: Keyed[]): Keyed[] =>
    list.map(({ word, entry }) => ({
      word,
      entry: { cues: [...entry.cues], byNext: new Map([...entry.byNext].map(([hash, phrases]) => [hash, [...phrases]])), phrases: [...entry.phrases] },
    }));
  return {
    exact: new Map([...source.exact].map(([hash, list]) => [hash, copy(list)])),
    stems: new Map([...source.stems].map(([hash, list]) => [hash, copy(list)])),
    exactFilter: source.exactFilter.copy(),
    stemFilter: source.stemFilter.copy(),
    exactAnywhere: source.exactAnywhere.copy(),
    stemAnywhere: source.stemAnywhere.copy(),
    stemKeyLengths: [...source.stemKeyLengths],
    cjk: new Map(source.cjk),
    cjkLengths: [...source.cjkLengths],
  };
}

/** Words of the scanned text: where each starts and ends, and hashes of its folded characters. */
export interface Words {
  count: number;
  start: Int32Array;
  end: Int32Array;
  hash: Int32Array;
  /** Hashes of each word's first 1..STEM_KEY characters, STEM_KEY slots per word. */
  key: Int32Array;
}

function gapMatches(source: string, words: Words, at: number, gap: number): boolean {
  const from = words.end[at - 1]!;
  if (words.start[at]! !== from + 1) return false;
  const char = source.charCodeAt(from);
  return gap === SPACE ? char === SPACE || char === 9 || char === 10 || char === 13 : char === gap;
}

function stepMatches(source: string, words: Words, i: number, step: Step): boolean {
  if (step.word === null) return true;
  const start = words.start[i]!;
  const end = words.end[i]!;
  if (step.prefix) return foldStartsWith(source, start, end, step.word);
  return words.hash[i] === step.hash && foldEquals(source, start, end, step.word);
}

/** The index of the phrase's last word when it follows word `at`, or -1. */
export function matchPhrase(source: string, words: Words, at: number, phrase: Phrase): number {
  const last = at + phrase.rest.length;
  if (last >= words.count) return -1;
  for (let k = 0; k < phrase.rest.length; k++) {
    const step = phrase.rest[k]!;
    const i = at + 1 + k;
    if (!gapMatches(source, words, i, step.gap) || !stepMatches(source, words, i, step)) return -1;
  }
  for (const unless of phrase.unless) {
    // The exclusions read loosely, across any run of spaces and commas.
    if (last + unless.length >= words.count) continue;
    let hit = true;
    for (let k = 0; k < unless.length && hit; k++) hit = stepMatches(source, words, last + 1 + k, unless[k]!);
    if (hit) return -1;
  }
  return last;
}
