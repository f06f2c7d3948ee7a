// The dispatch table's contract: what the gateway asks it and what it answers.

import type { SwitchyardError } from "../errors.ts";
import type { EndpointSpec, RouteSpec, RoutingGraph } from "../config/graph.ts";
import type { FactReader } from "../expr/types.ts";
import type { StatsRegistry } from "../stats/index.ts";

/** OpenRouter's `provider` request object; prices in USD per million tokens. */
export interface ProviderPreferences {
  order?: string[];
  only?: string[];
  ignore?: string[];
  sort?: "price" | "throughput" | "latency";
  allow_fallbacks?: boolean;
  max_price?: { prompt?: number; completion?: number };
}

export interface DispatchRequest {
  /** The public model id the client named. */
  model: string;
  /** OpenRouter's ordered fallback models, for `$model` targets. */
  models?: string[];
  provider?: ProviderPreferences;
  facts: FactReader;
  /** Estimates for `cheapest`; `inputTokens` defaults to the `tokens.input` fact. */
  inputTokens?: number;
  maxTokens?: number;
}

export interface TraceEntry {
  kind: "route" | "endpoint";
  name: string;
  outcome: "matched" | "skipped" | "selected" | "passed-over";
  reason: string;
}

export type DispatchResult =
  | { ok: true; route: RouteSpec; candidates: EndpointSpec[]; trace: TraceEntry[] | null }
  /** `route`: the first route that matched, where one did and none could serve (its endpoints out of rotation). */
  | { ok: false; error: SwitchyardError; trace: TraceEntry[] | null; route?: RouteSpec };

export interface DispatchOptions {
  trace?: boolean;
  random?: () => number;
  stats: StatsRegistry;
}

export interface DispatchTable {
  readonly graph: RoutingGraph;
  dispatch(request: DispatchRequest, options: DispatchOptions): DispatchResult;
  /** Classifier names read by the `when:` of routes that could match this model. */
  classifiersFor(model: string): readonly string[];
  /** One line per route for `switchyard check`: name, when, target, and what it resolves to. */
  describe(): string[];
}
