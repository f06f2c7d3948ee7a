// Live endpoint statistics: the registry the gateway feeds and the dispatch table reads.

export { StatsRegistry } from "./registry.ts";
export type { CircuitState, EndpointStats, Outcome, StatsOptions } from "./registry.ts";
