// Per-request resolution of one route's targets into ordered, available, deduplicated candidates.

import type { EndpointSpec } from "../config/graph.ts";
import type { StatsRegistry } from "../stats/index.ts";
import type { CompiledGraph, CompiledPool, CompiledRoute, CompiledTarget } from "./compiled.ts";
import { describeFacts, EndpointFacts } from "./endpoint-facts.ts";
import { orderEndpoints, rotated, type StrategyContext } from "./strategies.ts";
import type { DispatchRequest, TraceEntry } from "./types.ts";

export interface RouteOutcome {
  candidates: EndpointSpec[];
  /** The target was `$model` and the model the client named is not configured. */
  unknownModel: boolean;
}

/** Also the strategies' context: one object per request, no closures over it. */
export class Resolution implements StrategyContext {
  private estimatedInput: number | undefined;
  private currentPool: CompiledPool | null = null;
  /** Each pool's order, once per request: a pool a route names twice (or nests) takes one turn. */
  private ordered: Map<CompiledPool, EndpointSpec[]> | null = null;

  constructor(
    private readonly compiled: CompiledGraph,
    private readonly request: DispatchRequest,
    readonly stats: StatsRegistry,
    readonly random: () => number,
    readonly trace: TraceEntry[] | null,
  ) {}

  get maxTokens(): number | undefined {
    return this.request.maxTokens;
  }

  inputTokens(): number {
    return (this.estimatedInput ??= this.estimateInput());
  }

  nextTurn(): number {
    return this.currentPool === null ? 0 : this.currentPool.turn++;
  }

  route(route: CompiledRoute): RouteOutcome {
    const candidates: EndpointSpec[] = [];
    const seen = new Set<string>();
    // `to: $model` naming no configured model is the client's mistake: a 404, never a fallback's answer.
    if (route.targets[0]?.kind === "request-model" && !this.namesConfiguredModel()) return { candidates, unknownModel: true };
    for (const target of route.targets) {
      for (const endpoint of this.target(target)) {
        if (seen.has(endpoint.id)) {
          this.passOver(endpoint, "duplicate: already a candidate");
          continue;
        }
        seen.add(endpoint.id);
        candidates.push(endpoint);
      }
    }
    return { candidates, unknownModel: false };
  }

  private namesConfiguredModel(): boolean {
    const models = this.compiled.graph.models;
    return models.has(this.request.model) || (this.request.models ?? []).some((name) => models.has(name));
  }

  private target(target: CompiledTarget): EndpointSpec[] {
    if (target.kind === "model") return this.model(target.endpoints);
    if (target.kind === "pool") return this.pool(target.pool);
    const models = this.compiled.graph.models;
    const names = [this.request.model];
    if (this.request.models) for (const name of this.request.models) if (!names.includes(name)) names.push(name);
    const endpoints: EndpointSpec[] = [];
    for (const name of names) {
      const list = models.get(name);
      if (list === undefined) {
        this.trace?.push({ kind: "endpoint", name, outcome: "passed-over", reason: `model "${name}" is not configured` });
      } else endpoints.push(...this.model(list));
    }
    return endpoints;
  }

  /** A pool's members (nested pools already ordered by their own strategy), filtered, then ordered. */
  private pool(pool: CompiledPool): EndpointSpec[] {
    const done = this.ordered?.get(pool);
    if (done) return done;
    let ordered: EndpointSpec[];
    if (pool.spec.pick === "round-robin" && pool.parts.some((part) => part.kind === "pool")) ordered = this.rotateParts(pool);
    else {
      const members: EndpointSpec[] = [];
      for (const part of pool.parts) {
        const list = part.kind === "pool" ? this.pool(part.pool) : this.usable(part.endpoints);
        for (const endpoint of list) if (!members.includes(endpoint)) members.push(endpoint);
      }
      this.currentPool = pool;
      ordered = orderEndpoints(pool.spec.pick, this.required(pool, members), this);
      this.currentPool = null;
    }
    (this.ordered ??= new Map()).set(pool, ordered);
    return ordered;
  }

  /**
   * Round-robin over a pool's members where one is a pool: that pool is one turn, however many
   * endpoints it orders (each endpoint of a model is one, as in a pool of models alone). Rotating
   * the flattened list instead gave a nested round-robin's second endpoint no turn ever.
   */
  private rotateParts(pool: CompiledPool): EndpointSpec[] {
    const turns: EndpointSpec[][] = [];
    for (const part of pool.parts) {
      if (part.kind === "pool") turns.push(this.required(pool, this.pool(part.pool)));
      else for (const endpoint of this.required(pool, this.usable(part.endpoints))) turns.push([endpoint]);
    }
    const filled = turns.filter((turn) => turn.length > 0);
    const ordered: EndpointSpec[] = [];
    for (const turn of rotated(filled, () => pool.turn++)) for (const endpoint of turn) if (!ordered.includes(endpoint)) ordered.push(endpoint);
    return ordered;
  }

  /** The members that meet the pool's `require:`, each other one passed over with its facts. */
  private required(pool: CompiledPool, members: EndpointSpec[]): EndpointSpec[] {
    const require = pool.spec.require;
    if (require === undefined) return members;
    return members.filter((endpoint) => {
      const facts = new EndpointFacts(endpoint, this.stats);
      if (require.test(facts)) return true;
      // The reason reads every fact again: passOver builds it only for a trace.
      this.passOver(endpoint, () => `require of pool ${pool.spec.name} failed: ${require.source} (${describeFacts(facts, require.reads)})`);
      return false;
    });
  }

  /** The endpoints that may be called now: their provider has a key, and the breaker lets them. */
  private usable(endpoints: readonly EndpointSpec[]): EndpointSpec[] {
    const usable: EndpointSpec[] = [];
    for (const endpoint of endpoints) {
      const reason = this.compiled.unusable.get(endpoint.id);
      if (reason !== undefined) this.passOver(endpoint, reason);
      else if (!this.stats.available(endpoint.id)) this.passOver(endpoint, () => this.unavailableReason(endpoint));
      else usable.push(endpoint);
    }
    return usable;
  }

  /**
   * A model a route names (itself, or as `$model`): its usable endpoints, and where the config
   * writes weights on them, one draw by weight picks the first (the others follow as written), as a
   * load balancer shares a model among its deployments. In a pool, the pool's strategy orders them.
   */
  private model(endpoints: readonly EndpointSpec[]): EndpointSpec[] {
    const usable = this.usable(endpoints);
    return usable.length > 1 && usable.some((endpoint) => endpoint.weighted) ? orderEndpoints("weighted", usable, this) : usable;
  }

  private unavailableReason(endpoint: EndpointSpec): string {
    const stats = this.stats.snapshot(endpoint.id);
    if (stats.retryAfterUntil !== undefined) return `retry-after until ${new Date(stats.retryAfterUntil).toISOString()}`;
    if (stats.circuit === "open") return "circuit open";
    return "circuit half-open: its one probe is in flight";
  }

  /** Records why an endpoint was passed over; a reason that costs something to build is given as a function, run only for a trace. */
  passOver(endpoint: EndpointSpec, reason: string | (() => string)): void {
    if (this.trace === null) return;
    this.trace.push({ kind: "endpoint", name: endpoint.id, outcome: "passed-over", reason: typeof reason === "string" ? reason : reason() });
  }

  private estimateInput(): number {
    if (this.request.inputTokens !== undefined) return this.request.inputTokens;
    const fact = this.request.facts.get("tokens.input");
    return typeof fact === "number" ? fact : 0;
  }
}
