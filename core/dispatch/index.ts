// The dispatch table: routes a request to an ordered list of candidate endpoints.

export { buildDispatchTable } from "./table.ts";
export { createRequestFacts, estimateInputTokens } from "./facts.ts";
export type { RequestFactsInput } from "./facts.ts";
export { expectedCost } from "./strategies.ts";
export type {
  DispatchOptions,
  DispatchRequest,
  DispatchResult,
  DispatchTable,
  ProviderPreferences,
  TraceEntry,
} from "./types.ts";
