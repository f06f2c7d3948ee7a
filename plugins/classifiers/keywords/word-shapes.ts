// Word shapes the scanner reacts to: its own small word table (declarations, file extensions, error words),
// operators only code has, and identifier casing. Built once at load; the scanner asks per word or symbol.

import { CLASS, foldEquals, HashFilter, hashOf, LOWER, UPPER } from "./chars.ts";
import { CJK_NEIGHBOURS, DECLARATION_WORDS, SHELL_NAMES, SOURCE_EXTENSIONS, TRACE_EXTENSIONS } from "./cues.ts";

// Words the scanner itself reacts to, by flag; found by hash like every other word.
export const DECLARE = 1, EXTENSION = 2, TRACE_EXTENSION = 4, SHELL = 8, PACKAGE_ROOT = 16, CJK_NEIGHBOUR = 32, API = 64;
export const BIG_O = 128, POWER = 256, NET = 512, UNWRAP = 1024, AT = 2048, LOG_TAG = 4096, FILE = 8192, ERROR = 16384;
export const WARNING = 32768, SELECT = 65536, FROM = 131072;

interface Special {
  word: string;
  flags: number;
}

const SPECIALS = (() => {
  const byWord = new Map<string, number>();
  const add = (words: readonly string[], flag: number) => {
    for (const word of words) byWord.set(word.toLowerCase(), (byWord.get(word.toLowerCase()) ?? 0) | flag);
  };
  add(DECLARATION_WORDS, DECLARE);
  add(SOURCE_EXTENSIONS, EXTENSION);
  add(TRACE_EXTENSIONS, TRACE_EXTENSION);
  add(SHELL_NAMES, SHELL);
  add(["java", "javax", "org", "com", "android", "kotlin", "system"], PACKAGE_ROOT);
  add(CJK_NEIGHBOURS, CJK_NEIGHBOUR);
  const singles: [string, number][] = [
    ["api", API], ["o", BIG_O], ["x", POWER], ["net", NET], ["unwrap", UNWRAP], ["at", AT], ["e", LOG_TAG], ["file", FILE],
    ["error", ERROR], ["warning", WARNING], ["select", SELECT], ["from", FROM],
  ];
  for (const [word, flag] of singles) add([word], flag);
  const table = new Map<number, Special[]>();
  for (const [word, flags] of byWord) {
    const hash = hashOf(word);
    table.set(hash, [...(table.get(hash) ?? []), { word, flags }]);
  }
  return table;
})();

/** A bit per hash bucket: most words are rejected here without a map lookup. */
export const SPECIAL_FILTER = new HashFilter(SPECIALS.keys());

export function specialFlags(text: string, start: number, end: number, hash: number): number {
  if (!SPECIAL_FILTER.has(hash)) return 0;
  const list = SPECIALS.get(hash);
  if (!list) return 0;
  for (const special of list) if (foldEquals(text, start, end, special.word)) return special.flags;
  return 0;
}

/** Punctuation the scanner looks at more closely; the rest only counts as a line's content. */
export const MEANINGFUL = new Uint8Array(128);
for (const char of "`$[<-=!&|:+>") MEANINGFUL[char.charCodeAt(0)] = 1;

/** The length of an operator only code has (`=>`, `===`, `&&`, `::`, `+=`, `<<`, `>>=` ...) at `i`, or 0. */
export function operatorLength(text: string, i: number, code: number, next: number): number {
  const third = text.charCodeAt(i + 2);
  switch (code) {
    case 61: // =
      return next === 61 ? (third === 61 ? 3 : 2) : next === 62 ? 2 : 0;
    case 33: // !
      return next === 61 ? (third === 61 ? 3 : 2) : 0;
    case 38: // &
    case 124: // |
    case 58: // :
    case 60: // <
      return next === code ? 2 : 0;
    case 43: // +
      return next === 61 || next === 43 ? 2 : 0;
    case 45: // -
      return next === 61 ? 2 : 0;
    case 62: // >
      return next === 62 && third === 61 ? 3 : 0;
    default:
      return 0;
  }
}

/** `\b[a-z]{2,}[A-Z][A-Za-z0-9]*\b`, on a word known to be ASCII letters and digits starting lower case. */
export function isCamel(text: string, start: number): boolean {
  if (CLASS[text.charCodeAt(start + 1)] !== LOWER) return false;
  let i = start + 2;
  while (CLASS[text.charCodeAt(i)] === LOWER) i++;
  return CLASS[text.charCodeAt(i)] === UPPER;
}

/** `\b[a-z][a-z0-9]*_[a-z0-9_]+\b`, on a word known to have no capitals and to start lower case. */
export function isSnake(text: string, start: number, end: number): boolean {
  const underscore = text.indexOf("_", start);
  return underscore > start && underscore < end - 1;
}
