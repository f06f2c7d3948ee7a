// Builds RoutingGraph objects directly for dispatch tests, with hand-made compiled expressions.

import type { EndpointSpec, PoolSpec, ProviderSpec, RouteSpec, RoutingGraph, Strategy, Target } from "../../core/config/graph.ts";
import type { DispatchResult } from "../../core/dispatch/index.ts";
import type { CompiledExpression, FactReader, FactValue } from "../../core/expr/types.ts";
import { priceFromUsdPerMillion } from "../../core/money.ts";
import type { StatsRegistry } from "../../core/stats/index.ts";

export interface EndpointInput {
  provider: string;
  model: string;
  price?: { input: number; output: number };
  weight?: number;
  maxOutput?: number;
  context?: number;
  available?: boolean;
}

/** A compiled expression from a plain predicate; `calls` counts how often dispatch evaluated it. */
export function expr(
  source: string,
  reads: readonly string[],
  test: (facts: FactReader) => boolean,
  models: readonly string[] | null = null,
): CompiledExpression & { calls: number } {
  const expression = {
    source,
    reads,
    models,
    calls: 0,
    test(facts: FactReader) {
      expression.calls++;
      return test(facts);
    },
  };
  return expression;
}

/** `model == "<name>"`, pinned so the table can index it. */
export function modelIs(name: string): CompiledExpression & { calls: number } {
  return expr(`model == "${name}"`, ["model"], (facts) => facts.get("model") === name, [name]);
}

/** `<stat> < limit`, passing when the stat has no samples yet (as the expression language does). */
export function statBelow(fact: string, limit: number): CompiledExpression & { calls: number } {
  return expr(`${fact} < ${limit}`, [fact], (facts) => {
    const value: FactValue = facts.get(fact);
    return value === undefined || (typeof value === "number" && value < limit);
  });
}

export function target(name: string): Target {
  if (name === "$model") return { kind: "request-model" };
  if (name.startsWith("pool:")) return { kind: "pool", name: name.slice(5) };
  return { kind: "model", name };
}

export class GraphBuilder {
  private readonly providers = new Map<string, ProviderSpec>();
  private readonly models = new Map<string, EndpointSpec[]>();
  private readonly pools = new Map<string, PoolSpec>();
  private readonly routes: RouteSpec[] = [];
  private readonly classifiers = new Set<string>();

  provider(name: string, available = true): this {
    this.providers.set(name, { name, use: "openai-compatible", settings: {}, available, unavailableReason: available ? undefined : "api key is empty" });
    return this;
  }

  model(name: string, ...endpoints: EndpointInput[]): this {
    const specs = endpoints.map((input): EndpointSpec => {
      if (!this.providers.has(input.provider)) this.provider(input.provider);
      const price = input.price ?? { input: 1, output: 2 };
      return {
        id: `${input.provider}/${input.model}`,
        publicModel: name,
        provider: input.provider,
        providerUse: "openai-compatible",
        model: input.model,
        price: { input: priceFromUsdPerMillion(price.input), output: priceFromUsdPerMillion(price.output) },
        context: input.context,
        maxOutput: input.maxOutput,
        weight: input.weight ?? 1,
        ...(input.weight !== undefined ? { weighted: true as const } : {}),
        available: input.available ?? true,
      };
    });
    this.models.set(name, specs);
    return this;
  }

  pool(name: string, pick: Strategy, among: string[], require?: CompiledExpression): this {
    this.pools.set(name, { name, pick, among: among.map(target), require });
    return this;
  }

  classifier(name: string): this {
    this.classifiers.add(name);
    return this;
  }

  route(name: string, to: string, options: { when?: CompiledExpression; fallback?: string[] } = {}): this {
    this.routes.push({ name, index: this.routes.length, when: options.when, to: target(to), fallback: (options.fallback ?? []).map(target) });
    return this;
  }

  build(): RoutingGraph {
    return {
      file: "router.config.yaml",
      server: { host: "127.0.0.1", port: 0, bodyLimit: 1_000_000, keepaliveMs: 0, corsOrigins: [] },
      storage: "sqlite::memory:",
      pluginDirs: [],
      auth: { use: "none", settings: {} },
      fees: { use: "none", settings: {} },
      ledger: { flushIntervalMs: 1000 },
      providers: this.providers,
      models: this.models,
      pools: this.pools,
      classifiers: new Map([...this.classifiers].map((name) => [name, { name, use: "keywords", settings: {} }])),
      routes: this.routes,
      secrets: [],
    };
  }
}

/** The endpoint ids a dispatch chose, in order; a failed dispatch throws its error. */
export function ids(result: DispatchResult): string[] {
  if (!result.ok) throw result.error;
  return result.candidates.map((endpoint) => endpoint.id);
}

/** One successful request of `id` in the live stats. */
export function record(stats: StatsRegistry, id: string, latencyMs: number, ttftMs?: number): void {
  stats.begin(id);
  stats.end(id, { ok: true, latencyMs, ttftMs });
}

/** Request facts from a plain object, for tests that do not need a full ChatRequest. */
export function facts(values: Record<string, FactValue>): FactReader {
  return { get: (name) => values[name] };
}
