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

import type { Static } from "@sinclair/typebox";
import type { ChatRequest, ClassifierInstance, ClassifierPlugin, Kit } from "../../../core/kit/index.ts";
import { createCodingDetector, DETECTOR_NAMES, type CodingDetector, type DetectorName } from "./detector.ts";

interface CompiledLabel {
  name: string;
  keywords: RegExp | null;
  patterns: RegExp[];
  detector: CodingDetector | null;
}

const REGEX_PATTERN = /^\/(.+)\/([a-z]*)$/s;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
}

/** Keywords of one label as one alternation; a leading word character anchors at a word start. */
function compileKeywords(keywords: readonly string[]): RegExp | null {
  if (keywords.length === 0) return null;
  const parts = keywords.map((keyword) => (/^\w/.test(keyword) ? "\\b" : "") + escapeRegex(keyword));
  return new RegExp(parts.join("|"), "gi");
}

/** Distinct keywords found: a word repeated ten times is still one piece of evidence. */
function keywordHits(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  const seen = new Set<string>();
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) seen.add(match[0].toLowerCase());
  return seen.size;
}

export default (kit: Kit) => {
  const T = kit.Type;
  const Settings = T.Object(
    {
      labels: T.Optional(T.Record(T.String({ minLength: 1 }), T.Array(T.String({ minLength: 1 })))),
      detect: T.Optional(
        T.Record(T.String({ minLength: 1 }), T.Array(T.Union(DETECTOR_NAMES.map((name) => T.Literal(name))))),
      ),
      default: T.Optional(T.String({ minLength: 1, default: "other" })),
      threshold: T.Optional(T.Number({ exclusiveMinimum: 0, default: 1 })),
      max_chars: T.Optional(T.Integer({ minimum: 256, default: 16384 })),
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

  function compileLabels(settings: Settings): CompiledLabel[] {
    const lists = settings.labels ?? {};
    const detect: Record<string, DetectorName[]> =
      settings.detect ?? ("coding" in lists ? { coding: [...DETECTOR_NAMES] } : {});
    const names = [...new Set([...Object.keys(lists), ...Object.keys(detect)])];
    return names.map((name) => {
      const patterns = lists[name] ?? [];
      const detectors = detect[name] ?? [];
      return {
        name,
        keywords: compileKeywords(patterns.filter((pattern) => !REGEX_PATTERN.test(pattern))),
        patterns: patterns.filter((pattern) => REGEX_PATTERN.test(pattern)).map((pattern) => compilePattern(name, pattern)),
        detector: detectors.length > 0 ? createCodingDetector(detectors) : null,
      };
    });
  }

  return {
    kind: "classifier",
    name: "keywords",
    description: "Labels requests by keywords, /regex/ patterns and a built-in coding detector over the latest user turn.",
    settings: Settings,
    create(settings: Settings): ClassifierInstance {
      const fallback = settings.default ?? "other";
      const threshold = settings.threshold ?? 1;
      const maxChars = settings.max_chars ?? 16384;
      const head = Math.floor(maxChars * 0.75);
      const compiled = compileLabels(settings);
      const labels = [...new Set([...compiled.map((label) => label.name), fallback])];

      function scoreOf(label: CompiledLabel, text: string): number {
        let hits = label.keywords ? keywordHits(label.keywords, text) : 0;
        for (const pattern of label.patterns) if (pattern.test(text)) hits++;
        if (!label.detector) return hits;
        // Past the threshold plus the label's own keywords, no other label can be ahead of this one's hard evidence.
        const evidence = label.detector.score(text, threshold + hits + 3);
        return evidence.hard + Math.max(0, hits + evidence.soft - evidence.negative);
      }

      return {
        labels,
        classify(request: ChatRequest) {
          let text = kit.latestUserText(request);
          // A pasted log may bury the question at either end: read both, skip the middle.
          if (text.length > maxChars) text = `${text.slice(0, head)}\n${text.slice(text.length - (maxChars - head))}`;
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
