// The fact catalogues: what `when:` (request facts) and `require:` (endpoint facts) may read.

import type { FactCatalogue, FactInfo } from "./types.ts";

const HEADER_PREFIX = "header.";
/** FactInfo costs: a walk over the request's messages, a classifier plugin's call. */
const WALK = 1;
const PLUGIN = 2;

function catalogue(facts: ReadonlyMap<string, FactInfo>, prefixes: ReadonlyMap<string, FactInfo> = new Map()): FactCatalogue {
  const names = [...facts.keys(), ...[...prefixes.keys()].map((prefix) => `${prefix}<name>`)];
  return {
    lookup(name) {
      const fact = facts.get(name);
      if (fact) return fact;
      for (const [prefix, info] of prefixes) {
        if (name.length > prefix.length && name.startsWith(prefix)) return info;
      }
      return undefined;
    },
    names: () => names,
  };
}

/** Request facts, plus every classifier by name (typed "string" with its labels when it has a closed set). */
export function requestCatalogue(classifiers: ReadonlyMap<string, { labels?: readonly string[] }>): FactCatalogue {
  const facts = new Map<string, FactInfo>([
    ["model", { type: "string" }],
    ["stream", { type: "boolean" }],
    ["tokens.input", { type: "number", cost: WALK }],
    ["max_tokens", { type: "number" }],
    ["tools", { type: "number" }],
    ["images", { type: "number", cost: WALK }],
    ["key.name", { type: "string" }],
    ["key.tags", { type: "list" }],
  ]);
  for (const [name, classifier] of classifiers) {
    facts.set(name, classifier.labels ? { type: "string", labels: classifier.labels, cost: PLUGIN } : { type: "any", cost: PLUGIN });
  }
  // Header names are matched lower-cased; a rule that writes `header.X-Team` would never match.
  const header: FactInfo = { type: "string" };
  const base = catalogue(facts, new Map([[HEADER_PREFIX, header]]));
  return {
    lookup: (name) => (name.startsWith(HEADER_PREFIX) && name !== name.toLowerCase() ? undefined : base.lookup(name)),
    names: base.names,
  };
}

const ENDPOINT_FACTS = new Map<string, FactInfo>([
  ["provider", { type: "string" }],
  ["model", { type: "string" }],
  ["price.input", { type: "number" }],
  ["price.output", { type: "number" }],
  ["context", { type: "number" }],
  ["latency.p50", { type: "duration", stat: true }],
  ["latency.p95", { type: "duration", stat: true }],
  ["ttft.p95", { type: "duration", stat: true }],
  ["error_rate", { type: "number", stat: true }],
  ["inflight", { type: "number" }],
]);
const ENDPOINT = catalogue(ENDPOINT_FACTS);

/** Endpoint facts for `require:`; prices in USD per million tokens, latencies in milliseconds. */
export function endpointCatalogue(): FactCatalogue {
  return ENDPOINT;
}
