// Pool strategies: each turns a pool's eligible endpoints into a full order, the chosen one first
// and the rest as fallbacks. Sorts are stable, so ties keep config order.

import type { EndpointSpec, Strategy } from "../config/graph.ts";
import { tokenCost } from "../money.ts";
import type { EndpointStats, StatsRegistry } from "../stats/index.ts";

export interface StrategyContext {
  stats: StatsRegistry;
  random: () => number;
  /** Estimated input tokens of the request (computed only when a strategy asks). */
  inputTokens: () => number;
  maxTokens: number | undefined;
  /** Next round-robin turn of the pool being ordered. */
  nextTurn: () => number;
}

type Order = (endpoints: readonly EndpointSpec[], context: StrategyContext) => EndpointSpec[];

/** Expected cost in nano-USD: the request's input plus `maxTokens ?? max_output ?? 1000` of output. */
export function expectedCost(endpoint: EndpointSpec, inputTokens: number, maxTokens: number | undefined): number {
  const output = maxTokens ?? endpoint.maxOutput ?? 1000;
  return tokenCost(inputTokens, endpoint.price.input) + tokenCost(output, endpoint.price.output);
}

/** `items` from the turn `turn()` gives (taken only when there are two or more to take turns). */
export function rotated<T>(items: readonly T[], turn: () => number): T[] {
  if (items.length < 2) return items.slice();
  const start = turn() % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

function sortBy(endpoints: readonly EndpointSpec[], key: (endpoint: EndpointSpec) => number): EndpointSpec[] {
  const keyed = endpoints.map((endpoint) => ({ endpoint, key: key(endpoint) }));
  keyed.sort((a, b) => a.key - b.key);
  return keyed.map((entry) => entry.endpoint);
}

/**
 * An endpoint with no samples yet sorts as the fastest (key 0): a new or idle endpoint gets traffic
 * and so gets measured, instead of being starved forever by one with a known figure. One whose
 * calls all failed (untimed) sorts last: it is no faster for failing fast.
 */
function byStat(read: (stats: EndpointStats) => number | undefined): Order {
  return (endpoints, context) =>
    sortBy(endpoints, (endpoint) => {
      const stats = context.stats.snapshot(endpoint.id);
      return read(stats) ?? (stats.samples > 0 ? Number.MAX_SAFE_INTEGER : 0);
    });
}

/** Picks one index with probability proportional to its weight; -1 when no weight is positive. */
function pickWeighted(weights: readonly number[], random: () => number): number {
  let total = 0;
  for (const weight of weights) total += weight;
  if (!(total > 0)) return -1;
  let point = random() * total;
  for (let i = 0; i < weights.length; i++) {
    point -= weights[i]!;
    if (point < 0 && weights[i]! > 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return -1;
}

function chosenFirst(endpoints: readonly EndpointSpec[], chosen: number): EndpointSpec[] {
  if (chosen <= 0) return endpoints.slice();
  return [endpoints[chosen]!, ...endpoints.slice(0, chosen), ...endpoints.slice(chosen + 1)];
}

function combinedPrice(endpoint: EndpointSpec): number {
  return endpoint.price.input + endpoint.price.output;
}

/**
 * OpenRouter's default: a random pick weighted by the inverse square of price, so cheap endpoints
 * take most traffic without starving the others. Free endpoints, if any, share the pick. The rest
 * follow cheapest first.
 */
const balanced: Order = (endpoints, context) => {
  const sorted = sortBy(endpoints, combinedPrice);
  const free = sorted.filter((endpoint) => combinedPrice(endpoint) === 0).length;
  const weights = sorted.map((endpoint, i) => {
    if (free > 0) return i < free ? 1 : 0;
    const price = combinedPrice(endpoint);
    return 1 / (price * price);
  });
  return chosenFirst(sorted, pickWeighted(weights, context.random));
};

const ORDERS: Record<Strategy, Order> = {
  first: (endpoints) => endpoints.slice(),
  cheapest: (endpoints, context) => {
    const input = context.inputTokens();
    return sortBy(endpoints, (endpoint) => expectedCost(endpoint, input, context.maxTokens));
  },
  fastest: byStat((stats) => stats.latencyP50),
  "lowest-ttft": byStat((stats) => stats.ttftP50),
  "least-busy": byStat((stats) => stats.inflight),
  "round-robin": (endpoints, context) => rotated(endpoints, () => context.nextTurn()),
  /** One weighted draw picks the first; the others follow in config order. */
  weighted: (endpoints, context) =>
    chosenFirst(endpoints, pickWeighted(endpoints.map((endpoint) => endpoint.weight), context.random)),
  balanced,
};

export function orderEndpoints(
  strategy: Strategy,
  endpoints: readonly EndpointSpec[],
  context: StrategyContext,
): EndpointSpec[] {
  return ORDERS[strategy](endpoints, context);
}
