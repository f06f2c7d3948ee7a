// The `keywords` classifier: labels a request from its latest user turn with keyword lists,
// /regex/ patterns, and a built-in coding detector, all compiled when the classifier is created.
//
// Settings (router.config.yaml):
//   labels:    { <label>: [pattern, ...] }  each pattern found in the latest user turn adds 1 to its label.
//              A pattern is a keyword, matched case-insensitively from the start of a word
//              ("refactor" also finds "refactoring"), or a regex written "/source/flags".
//   detect:    { <label>: [code | stack-trace | prose] }  built-in detectors that add to a label's score:
//              `code` (fences, source lines), `stack-trace` (tracebacks, compiler and runtime errors),
//              `prose` (programming phrases in seven languages, ambiguous words weighed against their
//              everyday context: a biology "function", Java the island, a school "class").
//              Default: all three for a label named `coding`, none otherwise; `detect: {}` turns them off.
//   default:   the value when no label reaches the threshold (default "other").
//   threshold: the score a label needs (default 1); the highest score wins, ties go to the label listed first.
//   max_chars: how much of a very long turn is read: its head and its tail (default 16384).
//
// Example: the shipped `intent` classifier, whose `coding` label gets the built-in detector:
//   intent: { use: keywords, labels: { coding: ["```", "stack trace", "function", "refactor", "compile"] } }
//
// Keyword hits on a label with the `prose` detector are weighed like its ambiguous words: everyday
// context ("compile a list", "the function of the liver") cancels them, code and traces never are.
// In a request about words ("translate 'stack trace' into French"), such a label's keywords and
// prose cues found only inside quotes are mentioned, not used, and do not count.

import type { Static } from "@sinclair/typebox";
import type { ChatRequest, ClassifierInstance, ClassifierPlugin, Kit } from "../../../core/kit/index.ts";
import { builtInLexicon, DETECTOR_NAMES, Reading, type DetectorName } from "./detector.ts";
import { isWordChar } from "./chars.ts";
import { addSpec, cloneLexicon, createLexicon, KEYWORD, type Lexicon } from "./lexicon.ts";

interface CompiledLabel {
  name: string;
  /** Indexes of this label's keywords in the word tables. */
  keywords: number[];
  /** Keywords that are not plain words, matched as text: literals without letters, or case-insensitive regexes. */
  literals: (string | RegExp)[];
  patterns: RegExp[];
  detectors: ReadonlySet<DetectorName> | null;
}

const REGEX_PATTERN = /^\/(.+)\/([a-z]*)$/s;
/** Keywords made of words with single separators go into the word tables; the last word matches as a prefix. */
const WORD_KEYWORD = /^[\p{L}\p{N}_]+(?:[ \-/.'][\p{L}\p{N}_]+)*$/u;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
}

/** A keyword the word tables cannot hold: found anywhere, case-insensitively, from a word start if it starts with one. */
/** Keywords made only of scanned words (no CJK, no symbols) can be looked up in the word tables. */
function isWordKeyword(keyword: string): boolean {
  if (!WORD_KEYWORD.test(keyword) || keyword.split(/[ \-/.']/).includes("_")) return false;
  for (let i = 0; i < keyword.length; i++) if (!isWordChar(keyword.charCodeAt(i)) && !" -/.'".includes(keyword[i]!)) return false;
  return true;
}

function literalKeyword(keyword: string): string | RegExp {
  if (!/[\p{L}\p{N}]/u.test(keyword)) return keyword;
  return new RegExp((/^\w/.test(keyword) ? "\\b" : "") + escapeRegex(keyword), "i");
}

export default (kit: Kit) => {
  const T = kit.Type;
  const Settings = T.Object(
    {
      labels: T.Optional(T.Record(T.String({ minLength: 1 }), T.Array(T.String({ minLength: 1 })))),
      detect: T.Optional(
        T.Record(T.String({ minLength: 1 }), T.Array(T.Union(DETECTOR_NAMES.map((name) => T.Literal(name))))),
      ),
      default: T.String({ minLength: 1, default: "other" }),
      threshold: T.Number({ exclusiveMinimum: 0, default: 1 }),
      max_chars: T.Integer({ minimum: 256, default: 16384 }),
    },
    { additionalProperties: false },
  );
  type Settings = Static<typeof Settings>;

  function compilePattern(label: string, source: string): RegExp {
    const regex = REGEX_PATTERN.exec(source)!;
    try {
      // Without g or y, test() keeps no state between requests.
      return new RegExp(regex[1]!, regex[2]!.replace(/[gy]/g, ""));
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw kit.errors.badRequest(`keywords: label "${label}" has an invalid pattern ${source}: ${reason}`);
    }
  }

  /** Labels with their keywords placed in `lexicon` (a copy of the built-in tables when any label has words). */
  function compileLabels(settings: Settings, lexicon: Lexicon): { labels: CompiledLabel[]; keywordCount: number } {
    const lists = settings.labels ?? {};
    const detect: Record<string, DetectorName[]> =
      settings.detect ?? ("coding" in lists ? { coding: [...DETECTOR_NAMES] } : {});
    const names = [...new Set([...Object.keys(lists), ...Object.keys(detect)])];
    let keywordCount = 0;
    const labels = names.map((name): CompiledLabel => {
      // Own members only: a label may be named `constructor` or `toString`, which every object has.
      const patterns = Object.hasOwn(lists, name) ? lists[name]! : [];
      const detectors = Object.hasOwn(detect, name) ? detect[name]! : [];
      const label: CompiledLabel = { name, keywords: [], literals: [], patterns: [], detectors: null };
      for (const keyword of new Set(patterns.map((pattern) => (REGEX_PATTERN.test(pattern) ? pattern : pattern.toLowerCase())))) {
        if (REGEX_PATTERN.test(keyword)) label.patterns.push(compilePattern(name, keyword));
        else if (isWordKeyword(keyword)) {
          addSpec(lexicon, `${keyword}*`, KEYWORD, keywordCount);
          label.keywords.push(keywordCount++);
        } else label.literals.push(literalKeyword(keyword));
      }
      if (detectors.length > 0) label.detectors = new Set(detectors);
      return label;
    });
    return { labels, keywordCount };
  }

  return {
    kind: "classifier",
    name: "keywords",
    description: "Labels requests by keywords, /regex/ patterns and a built-in coding detector over the latest user turn.",
    settings: Settings,
    create(settings: Settings): ClassifierInstance {
      const { default: fallback, threshold, max_chars: maxChars } = settings;
      const head = Math.floor(maxChars * 0.75);
      const hasWords = Object.values(settings.labels ?? {}).some((list) => list.some((pattern) => !REGEX_PATTERN.test(pattern)));
      const lexicon = hasWords ? cloneLexicon(builtInLexicon()) : builtInLexicon();
      const { labels: compiled, keywordCount } = compileLabels(settings, hasWords ? lexicon : createLexicon());
      const labels = [...new Set([...compiled.map((label) => label.name), fallback])];
      // One reading per instance, reused: classify is synchronous, so requests never share it at once.
      const reading = new Reading(lexicon, keywordCount);
      if (compiled.length === 1 && compiled[0]!.detectors?.has("code")) reading.settleOnCode(threshold);
      const needsReading = compiled.some((label) => label.keywords.length > 0 || label.detectors !== null);

      function scoreOf(label: CompiledLabel, text: string): number {
        let hits = 0;
        // A keyword found only inside quotes of a mention ("translate 'stack trace'") is prose to a prose-weighed label.
        const quotedCounts = !(reading.mention && label.detectors?.has("prose"));
        for (const index of label.keywords) {
          const found = reading.keywords[index]!;
          if (found === 1 || (found === 2 && quotedCounts)) hits++;
        }
        for (const literal of label.literals) if (typeof literal === "string" ? text.includes(literal) : literal.test(text)) hits++;
        for (const pattern of label.patterns) if (pattern.test(text)) hits++;
        if (!label.detectors) return hits;
        const evidence = reading.evidence(label.detectors, text);
        return evidence.hard + Math.max(0, hits + evidence.soft - evidence.negative);
      }

      return {
        labels,
        classify(request: ChatRequest) {
          let text = kit.latestUserText(request);
          // A pasted log may bury the question at either end: read both, skip the middle.
          if (text.length > maxChars) text = `${text.slice(0, head)}\n${text.slice(text.length - (maxChars - head))}`;
          if (needsReading) reading.read(text);
          let best = fallback;
          let bestScore = threshold;
          let found = false;
          for (const label of compiled) {
            const score = scoreOf(label, text);
            if (score > bestScore || (!found && score >= bestScore)) {
              best = label.name;
              bestScore = score;
              found = true;
            }
          }
          return best;
        },
      };
    },
  } satisfies ClassifierPlugin<typeof Settings>;
};
