// Build-time form of the routing graph: targets resolved to endpoint lists, pools flattened, and
// routes indexed by the model they can match, so per-request work never scans unrelated routes.

import type { EndpointSpec, PoolSpec, RouteSpec, RoutingGraph, Target } from "../config/graph.ts";
import { errors } from "../errors.ts";

/** A run of a pool's members that are plain models, merged into one endpoint list. */
export type PoolPart = { kind: "endpoints"; endpoints: readonly EndpointSpec[] } | { kind: "pool"; pool: CompiledPool };

export interface CompiledPool {
  spec: PoolSpec;
  parts: readonly PoolPart[];
  /** Round-robin turn counter; lives as long as the table (a reload starts over). */
  turn: number;
}

export type CompiledTarget =
  | { kind: "model"; name: string; endpoints: readonly EndpointSpec[] }
  | { kind: "pool"; pool: CompiledPool }
  | { kind: "request-model" };

export interface CompiledRoute {
  spec: RouteSpec;
  /** `to` then each fallback. */
  targets: readonly CompiledTarget[];
}

export class CompiledGraph {
  readonly routes: CompiledRoute[];
  /** Model id → routes that can match it (pinned to it, or to no model), in file order. */
  readonly byModel = new Map<string, CompiledRoute[]>();
  /** Routes that pin no model: all that can match a model no route names. */
  readonly unpinned: CompiledRoute[] = [];
  /** Why an endpoint can never be used in this graph (its provider has no key, say). */
  readonly unusable = new Map<string, string>();
  private readonly pools = new Map<string, CompiledPool>();

  constructor(readonly graph: RoutingGraph) {
    for (const endpoints of graph.models.values()) for (const endpoint of endpoints) this.checkEndpoint(endpoint);
    for (const name of graph.pools.keys()) this.pool(name, []);
    this.routes = graph.routes.map((spec) => ({ spec, targets: [spec.to, ...spec.fallback].map((t) => this.target(t)) }));
    this.index();
  }

  routesFor(model: string): readonly CompiledRoute[] {
    return this.byModel.get(model) ?? this.unpinned;
  }

  private checkEndpoint(endpoint: EndpointSpec): void {
    const provider = this.graph.providers.get(endpoint.provider);
    if (provider !== undefined && !provider.available) {
      this.unusable.set(endpoint.id, `provider ${provider.name} unavailable: ${provider.unavailableReason ?? "not configured"}`);
    } else if (!endpoint.available) this.unusable.set(endpoint.id, "endpoint unavailable");
  }

  private target(target: Target): CompiledTarget {
    if (target.kind === "request-model") return target;
    if (target.kind === "pool") return { kind: "pool", pool: this.pool(target.name, []) };
    return { kind: "model", name: target.name, endpoints: this.endpointsOf(target.name) };
  }

  private endpointsOf(model: string): readonly EndpointSpec[] {
    const endpoints = this.graph.models.get(model);
    if (endpoints === undefined) throw errors.internal(`routing graph names unknown model "${model}"`);
    return endpoints;
  }

  private pool(name: string, path: string[]): CompiledPool {
    const existing = this.pools.get(name);
    if (existing !== undefined) return existing;
    const spec = this.graph.pools.get(name);
    if (spec === undefined) throw errors.internal(`routing graph names unknown pool "${name}"`);
    if (path.includes(name)) throw errors.internal(`pools form a cycle: ${[...path, name].join(" → ")}`);
    const parts: PoolPart[] = [];
    let run: EndpointSpec[] | null = null;
    for (const member of spec.among) {
      if (member.kind === "pool") {
        parts.push({ kind: "pool", pool: this.pool(member.name, [...path, name]) });
        run = null;
      } else if (member.kind === "model") {
        if (run === null) parts.push({ kind: "endpoints", endpoints: (run = []) });
        run.push(...this.endpointsOf(member.name));
      } else throw errors.internal(`pool "${name}" cannot contain $model`);
    }
    const pool: CompiledPool = { spec, parts, turn: 0 };
    this.pools.set(name, pool);
    return pool;
  }

  /** Appends each route to the lists of the models it can match; O(routes + models × unpinned). */
  private index(): void {
    for (const route of this.routes) {
      const models = route.spec.when?.models ?? null;
      if (models === null) {
        this.unpinned.push(route);
        for (const list of this.byModel.values()) list.push(route);
        continue;
      }
      for (const model of models) {
        let list = this.byModel.get(model);
        if (list === undefined) this.byModel.set(model, (list = this.unpinned.slice()));
        if (list[list.length - 1] !== route) list.push(route);
      }
    }
  }
}

function describeTarget(target: CompiledTarget): string {
  if (target.kind === "request-model") return "$model (the model the client named)";
  if (target.kind === "model") return `${target.name} [${target.endpoints.map((e) => e.id).join(", ")}]`;
  return describePool(target.pool);
}

function describePool(pool: CompiledPool): string {
  const require = pool.spec.require ? `, require ${pool.spec.require.source}` : "";
  const members = pool.parts.map((part) =>
    part.kind === "pool" ? describePool(part.pool) : part.endpoints.map((e) => e.id).join(", "),
  );
  return `${pool.spec.name} (${pool.spec.pick}${require}) [${members.join(", ")}]`;
}

/** One line per route: name, when, target and what it resolves to, fallbacks. */
export function describeRoutes(compiled: CompiledGraph): string[] {
  return compiled.routes.map(({ spec, targets }) => {
    const when = spec.when ? `when ${spec.when.source}` : "always";
    const [primary, ...fallbacks] = targets.map(describeTarget);
    const fallback = fallbacks.length > 0 ? ` fallback ${fallbacks.join("; ")}` : "";
    return `${spec.name}: ${when} → ${primary}${fallback}`;
  });
}
