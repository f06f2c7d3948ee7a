// The built-in coding detector: scores how much a user turn reads as a programming request.
// Built once per classifier instance; every regex is compiled here, none per request.

import { CODE_TOKENS, NEGATIVE, SOFTWARE_NOUNS, STRONG, SYMPTOMS, TRACE_SHAPES, WEAK } from "./cues.ts";

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
} as const;

/** Separate regexes: JavaScriptCore runs several small ones much faster than one large alternation. */
function compileAll(fragments: readonly string[], flags: string): RegExp[] {
  return fragments.map((fragment) => new RegExp(fragment, flags));
}

/** Prose cues are read in the head and tail of a turn, where people state what they want. */
const PROSE_HEAD = 1536;
const PROSE_TAIL = 512;

function proseWindow(text: string): string {
  if (text.length <= PROSE_HEAD + PROSE_TAIL) return text;
  return `${text.slice(0, PROSE_HEAD)}\n${text.slice(text.length - PROSE_TAIL)}`;
}

/** How many times the global regexes match in all, stopping at `cap`. */
function countMatches(patterns: readonly RegExp[], text: string, cap: number): number {
  let count = 0;
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    while (count < cap && pattern.exec(text) !== null) count++;
    if (count >= cap) break;
  }
  return count;
}

/** How many different strings the global regexes match (case folded), stopping at `cap`. */
function countDistinct(patterns: readonly RegExp[], text: string, cap: number): number {
  let first: string | undefined;
  let seen: Set<string> | undefined;
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const found = match[0].toLowerCase();
      // Most prompts hit a cue once or not at all: avoid allocating a set for that case.
      if (first === undefined) first = found;
      else if (found !== first) (seen ??= new Set([first])).add(found);
      if (seen && seen.size >= cap) return seen.size;
    }
  }
  return seen ? seen.size : first === undefined ? 0 : 1;
}

export interface CodingDetector {
  readonly detectors: readonly DetectorName[];
  /** Stops early once `hard` evidence reaches `enough`: nothing can cancel it. */
  score(text: string, enough?: number): Evidence;
}

export function createCodingDetector(detectors: readonly DetectorName[]): CodingDetector {
  const on = new Set(detectors);
  const codeTokens = compileAll(CODE_TOKENS, "gm");
  const traces = compileAll(TRACE_SHAPES, "gm");
  const strong = compileAll(STRONG, "gi");
  const weak = compileAll(WEAK, "gi");
  const negative = compileAll(NEGATIVE, "gi");
  const nouns = new RegExp(SOFTWARE_NOUNS, "i");
  const symptoms = new RegExp(SYMPTOMS, "i");

  function codeScore(text: string): number {
    if (text.includes("```")) return WEIGHTS.fence;
    const tokens = countMatches(codeTokens, text, Math.ceil(WEIGHTS.codeMax / WEIGHTS.codeToken));
    return Math.min(WEIGHTS.codeMax, tokens * WEIGHTS.codeToken);
  }

  function traceScore(text: string): number {
    const shapes = countDistinct(traces, text, 2);
    return shapes === 0 ? 0 : shapes === 1 ? WEIGHTS.traceFirst : WEIGHTS.traceMore;
  }

  function proseEvidence(full: string, evidence: Evidence): void {
    const text = proseWindow(full);
    evidence.hard += Math.min(WEIGHTS.strongMax, countDistinct(strong, text, WEIGHTS.strongMax) * WEIGHTS.strong);
    evidence.soft += Math.min(WEIGHTS.weakMax, countDistinct(weak, text, 3) * WEIGHTS.weak);
    if (nouns.test(text) && symptoms.test(text)) evidence.soft += WEIGHTS.bugReport;
    evidence.negative += countDistinct(negative, text, 4) * WEIGHTS.negative;
  }

  return {
    detectors: [...on],
    score(text, enough = Number.POSITIVE_INFINITY) {
      const evidence: Evidence = { hard: 0, soft: 0, negative: 0 };
      if (on.has("code")) evidence.hard += codeScore(text);
      if (on.has("stack-trace") && evidence.hard < enough) evidence.hard += traceScore(text);
      if (on.has("prose") && evidence.hard < enough) proseEvidence(text, evidence);
      return evidence;
    },
  };
}
