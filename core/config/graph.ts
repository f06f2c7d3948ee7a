// The resolved routing graph: what the config compiler produces and the dispatch table is built from.
// Plain, immutable data plus compiled expressions; nothing here knows about YAML or HTTP.

import type { CompiledExpression } from "../expr/types.ts";
import type { Price } from "../money.ts";

export const STRATEGIES = [
  "first",
  "cheapest",
  "fastest",
  "lowest-ttft",
  "least-busy",
  "round-robin",
  "weighted",
  "balanced",
] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** A plugin named by `use:` plus its settings (already validated against the plugin's schema). */
export interface PluginRef {
  use: string;
  settings: Record<string, unknown>;
}

export interface ProviderSpec extends PluginRef {
  /** The name under `providers:`. */
  name: string;
  /** False when its API key resolved to an empty string: its endpoints are skipped, not an error. */
  available: boolean;
  unavailableReason?: string;
}

/** One way to serve a public model: a provider account and the vendor's model id. */
export interface EndpointSpec {
  /** `<provider>/<upstream model>`; stable across reloads, so live stats survive them. */
  id: string;
  publicModel: string;
  provider: string;
  /** The provider plugin's name (`use:` of the provider). */
  providerUse: string;
  model: string;
  price: Price;
  context?: number;
  timeoutMs?: number;
  firstTokenTimeoutMs?: number;
  maxOutput?: number;
  weight: number;
  /** Its `weight` was written: its model's traffic is shared among its endpoints by weight. */
  weighted?: true;
  available: boolean;
}

export type Target =
  | { kind: "model"; name: string }
  | { kind: "pool"; name: string }
  /** `$model`: whatever the client named (and its `models: [...]` list). */
  | { kind: "request-model" };

export interface PoolSpec {
  name: string;
  pick: Strategy;
  among: Target[];
  require?: CompiledExpression;
}

export interface RouteSpec {
  name: string;
  /** Position in the file, top to bottom; first match wins. */
  index: number;
  when?: CompiledExpression;
  to: Target;
  fallback: Target[];
}

export interface ClassifierSpec extends PluginRef {
  name: string;
  /** Closed set of values, when the plugin declares one. */
  labels?: readonly string[];
}

export interface LedgerSettings {
  retentionDays?: number;
  flushIntervalMs: number;
}

export interface ServerSettings {
  host: string;
  port: number;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Silence after which a streamed answer gets an SSE keep-alive comment; 0 for never. */
  keepaliveMs: number;
  /** Origins browsers may call from (CORS); "*" for any, none for no CORS headers at all. */
  corsOrigins: readonly string[];
}

export interface RoutingGraph {
  /** Path of the config file the graph came from. */
  file: string;
  server: ServerSettings;
  storage: string;
  pluginDirs: string[];
  adminKey?: string;
  auth: PluginRef;
  fees: PluginRef;
  ledger: LedgerSettings;
  providers: ReadonlyMap<string, ProviderSpec>;
  /** Public model id → its endpoints, in config order (unavailable ones included, flagged). */
  models: ReadonlyMap<string, readonly EndpointSpec[]>;
  pools: ReadonlyMap<string, PoolSpec>;
  classifiers: ReadonlyMap<string, ClassifierSpec>;
  routes: readonly RouteSpec[];
  /** Every secret the config resolved from the environment; redacted from anything we print. */
  secrets: readonly string[];
}
