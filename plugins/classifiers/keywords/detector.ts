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

function alternation(fragments: readonly string[], flags: string): RegExp {
  return new RegExp(fragments.map((fragment) => `(?:${fragment})`).join("|"), flags);
}

/** How many times a global regex matches, stopping at `cap`. */
function countMatches(pattern: RegExp, text: string, cap: number): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (count < cap && pattern.exec(text) !== null) count++;
  return count;
}

/** How many different strings a global regex matches (case folded), stopping at `cap`. */
function countDistinct(pattern: RegExp, text: string, cap: number): number {
  pattern.lastIndex = 0;
  let first: string | undefined;
  let seen: Set<string> | undefined;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const found = match[0].toLowerCase();
    // Most prompts hit a cue once or not at all: avoid allocating a set for that case.
    if (first === undefined) first = found;
    else if (found !== first) (seen ??= new Set([first])).add(found);
    if (seen && seen.size >= cap) break;
  }
  return seen ? seen.size : first === undefined ? 0 : 1;
}

export interface CodingDetector {
  readonly detectors: readonly DetectorName[];
  score(text: string): Evidence;
}

export function createCodingDetector(detectors: readonly DetectorName[]): CodingDetector {
  const on = new Set(detectors);
  const codeTokens = alternation(CODE_TOKENS, "gm");
  const traces = alternation(TRACE_SHAPES, "gm");
  const strong = alternation(STRONG, "gi");
  const weak = alternation(WEAK, "gi");
  const negative = alternation(NEGATIVE, "gi");
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

  function proseEvidence(text: string, evidence: Evidence): void {
    evidence.hard += Math.min(WEIGHTS.strongMax, countDistinct(strong, text, WEIGHTS.strongMax) * WEIGHTS.strong);
    evidence.soft += Math.min(WEIGHTS.weakMax, countDistinct(weak, text, 3) * WEIGHTS.weak);
    if (nouns.test(text) && symptoms.test(text)) evidence.soft += WEIGHTS.bugReport;
    evidence.negative += countDistinct(negative, text, 4) * WEIGHTS.negative;
  }

  return {
    detectors: [...on],
    score(text) {
      const evidence: Evidence = { hard: 0, soft: 0, negative: 0 };
      if (on.has("code")) evidence.hard += codeScore(text);
      if (on.has("stack-trace")) evidence.hard += traceScore(text);
      if (on.has("prose")) proseEvidence(text, evidence);
      return evidence;
    },
  };
}
