// OpenRouter-style request narrowing (`provider: {...}`): it only removes or reorders candidates
// the route already chose, never adds one.

import type { EndpointSpec, Strategy } from "../config/graph.ts";
import { priceFromUsdPerMillion } from "../money.ts";
import { orderEndpoints, type StrategyContext } from "./strategies.ts";
import type { ProviderPreferences, TraceEntry } from "./types.ts";

/**
 * `sort` reuses the pool strategies: price → cheapest, latency → lowest time to first token,
 * throughput → lowest whole-request latency (the stats keep no token rate; a faster whole answer
 * is the closest figure we have).
 */
const SORT_STRATEGY: Record<NonNullable<ProviderPreferences["sort"]>, Strategy> = {
  price: "cheapest",
  latency: "lowest-ttft",
  throughput: "fastest",
};

function lowerSet(names: readonly string[] | undefined): Set<string> | null {
  return names === undefined ? null : new Set(names.map((name) => name.toLowerCase()));
}

function passOver(trace: TraceEntry[] | null, endpoint: EndpointSpec, reason: string): void {
  trace?.push({ kind: "endpoint", name: endpoint.id, outcome: "passed-over", reason });
}

function filterByPreferences(
  candidates: readonly EndpointSpec[],
  preferences: ProviderPreferences,
  trace: TraceEntry[] | null,
): EndpointSpec[] {
  const only = lowerSet(preferences.only);
  const ignore = lowerSet(preferences.ignore);
  const maxPrompt = preferences.max_price?.prompt;
  const maxCompletion = preferences.max_price?.completion;
  const maxInput = maxPrompt === undefined ? Infinity : priceFromUsdPerMillion(maxPrompt);
  const maxOutput = maxCompletion === undefined ? Infinity : priceFromUsdPerMillion(maxCompletion);
  const kept: EndpointSpec[] = [];
  for (const endpoint of candidates) {
    const provider = endpoint.provider.toLowerCase();
    if (only !== null && !only.has(provider)) passOver(trace, endpoint, "narrowed out: provider not in provider.only");
    else if (ignore?.has(provider)) passOver(trace, endpoint, "narrowed out: provider in provider.ignore");
    else if (endpoint.price.input > maxInput) passOver(trace, endpoint, "narrowed out: input price above provider.max_price.prompt");
    else if (endpoint.price.output > maxOutput) {
      passOver(trace, endpoint, "narrowed out: output price above provider.max_price.completion");
    } else kept.push(endpoint);
  }
  return kept;
}

/** Providers named in `order` first, in that order; the rest after, as they were. */
function orderByProviders(candidates: readonly EndpointSpec[], order: readonly string[]): EndpointSpec[] {
  const rank = new Map<string, number>();
  order.forEach((name, i) => {
    const key = name.toLowerCase();
    if (!rank.has(key)) rank.set(key, i);
  });
  const keyed = candidates.map((endpoint) => ({ endpoint, rank: rank.get(endpoint.provider.toLowerCase()) ?? order.length }));
  keyed.sort((a, b) => a.rank - b.rank);
  return keyed.map((entry) => entry.endpoint);
}

/**
 * Reorders the endpoints of each model among themselves, the models staying in the route's order:
 * as on OpenRouter, `sort` and `order` choose among the providers of the model asked for, and a
 * fallback model stays a fallback, however cheap.
 */
function withinEachModel(candidates: readonly EndpointSpec[], reorder: (endpoints: EndpointSpec[]) => EndpointSpec[]): EndpointSpec[] {
  const byModel = new Map<string, EndpointSpec[]>();
  for (const endpoint of candidates) {
    const group = byModel.get(endpoint.publicModel);
    if (group) group.push(endpoint);
    else byModel.set(endpoint.publicModel, [endpoint]);
  }
  if (byModel.size === 1) return reorder([...candidates]);
  return [...byModel.values()].flatMap((group) => (group.length > 1 ? reorder(group) : group));
}

export function narrowCandidates(
  candidates: readonly EndpointSpec[],
  preferences: ProviderPreferences,
  context: StrategyContext,
  trace: TraceEntry[] | null,
): EndpointSpec[] {
  let narrowed = filterByPreferences(candidates, preferences, trace);
  const sort = preferences.sort;
  if (sort !== undefined) narrowed = withinEachModel(narrowed, (endpoints) => orderEndpoints(SORT_STRATEGY[sort], endpoints, context));
  const order = preferences.order;
  if (order !== undefined && order.length > 0) narrowed = withinEachModel(narrowed, (endpoints) => orderByProviders(endpoints, order));
  if (preferences.allow_fallbacks === false && narrowed.length > 1) {
    // With an order, OpenRouter keeps the providers it names, in turn ("if you don't want to allow
    // any other providers, disable fallbacks as well"); without one, the first candidate alone.
    const named = lowerSet(preferences.order);
    const kept = named ? narrowed.filter((endpoint) => named.has(endpoint.provider.toLowerCase())) : narrowed.slice(0, 1);
    const outside = named ? "narrowed out: provider.allow_fallbacks is false and its provider is not in provider.order" : "narrowed out: provider.allow_fallbacks is false";
    for (const endpoint of narrowed) if (!kept.includes(endpoint)) passOver(trace, endpoint, outside);
    narrowed = kept;
  }
  return narrowed;
}
