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

const REQUEST_FACT_INFO: ReadonlyArray<[string, FactInfo]> = [
  ["model", { type: "string" }],
  ["stream", { type: "boolean" }],
  ["tokens.input", { type: "number", cost: WALK }],
  ["max_tokens", { type: "number" }],
  ["tools", { type: "number" }],
  ["images", { type: "number", cost: WALK }],
  ["key.name", { type: "string" }],
  ["key.tags", { type: "list" }],
];

/** Request facts, plus every classifier by name (typed "string" with its labels when it has a closed set). */
export function requestCatalogue(classifiers: ReadonlyMap<string, { labels?: readonly string[] }>): FactCatalogue {
  const facts = new Map<string, FactInfo>(REQUEST_FACT_INFO);
  for (const [name, classifier] of classifiers) {
    facts.set(name, classifier.labels ? { type: "string", labels: classifier.labels, cost: PLUGIN } : { type: "any", cost: PLUGIN });
  }
  // Header names match in any case, as HTTP's do (facts read them with Headers.get): X-Team is x-team.
  const base = catalogue(facts, new Map([[HEADER_PREFIX, { type: "string" }]]));
  return {
    ...base,
    elsewhere: (name) => (!facts.has(name) && ENDPOINT_FACTS.has(name) ? `"${name}" is an endpoint fact: test it in a pool's require:` : undefined),
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
  ["inflight", { type: "number", stat: true }],
]);
const REQUEST_FACTS = new Set(REQUEST_FACT_INFO.map(([name]) => name));
const ENDPOINT: FactCatalogue = {
  ...catalogue(ENDPOINT_FACTS),
  elsewhere: (name) =>
    REQUEST_FACTS.has(name) || name.startsWith(HEADER_PREFIX) ? `"${name}" is a request fact: test it in a route's when:` : undefined,
};

/** Endpoint facts for `require:`; prices in USD per million tokens, latencies in milliseconds. */
export function endpointCatalogue(): FactCatalogue {
  return ENDPOINT;
}
