// The dispatch table: first matching route, in file order, whose targets yield an available
// endpoint; answers with that route and its ordered candidates (primary first, then fallbacks).

import type { EndpointSpec, RouteSpec, RoutingGraph } from "../config/graph.ts";
import { errors, SwitchyardError } from "../errors.ts";
import { CompiledGraph, describeRoutes, type CompiledRoute } from "./compiled.ts";
import { narrowCandidates } from "./narrow.ts";
import { Resolution } from "./resolve.ts";
import { didYouMean } from "../expr/did-you-mean.ts";
import type { DispatchOptions, DispatchRequest, DispatchResult, DispatchTable, TraceEntry } from "./types.ts";

const NO_CLASSIFIERS: readonly string[] = [];

class Table implements DispatchTable {
  private readonly compiled: CompiledGraph;
  private readonly classifiers = new Map<string, readonly string[]>();
  private readonly unpinnedClassifiers: readonly string[];

  constructor(readonly graph: RoutingGraph) {
    this.compiled = new CompiledGraph(graph);
    for (const [model, routes] of this.compiled.byModel) this.classifiers.set(model, this.classifiersOf(routes));
    this.unpinnedClassifiers = this.classifiersOf(this.compiled.unpinned);
  }

  dispatch(request: DispatchRequest, options: DispatchOptions): DispatchResult {
    const trace: TraceEntry[] | null = options.trace ? [] : null;
    const result = this.run(request, options, trace);
    if (result.ok || result.error.code !== "no_endpoint") return result;
    // Failures are rare: rather than collect reasons on every request, look again with a trace
    // (a round-robin pool advances one extra turn then, which costs nothing that matters).
    const explained = trace ?? this.run(request, options, []).trace ?? [];
    const passed = explained.filter((e) => e.outcome === "passed-over");
    const reasons = passed.map((e) => `${e.name}: ${e.reason}`);
    const retryAfterMs = options.stats.soonestBack(passed.flatMap((e) => (e.kind === "endpoint" ? [e.name] : [])));
    const error = new SwitchyardError("no_endpoint", result.error.message, { metadata: { reasons }, ...(retryAfterMs ? { retryAfterMs } : {}) });
    return { ...result, error, trace };
  }

  classifiersFor(model: string): readonly string[] {
    return this.classifiers.get(model) ?? this.unpinnedClassifiers;
  }

  describe(): string[] {
    return describeRoutes(this.compiled);
  }

  private run(request: DispatchRequest, options: DispatchOptions, trace: TraceEntry[] | null): DispatchResult {
    const resolution = new Resolution(this.compiled, request, options.stats, options.random ?? Math.random, trace);
    let matched: RouteSpec | undefined;
    for (const route of this.compiled.routesFor(request.model)) {
      const when = route.spec.when;
      if (when !== undefined && !when.test(request.facts)) {
        trace?.push({ kind: "route", name: route.spec.name, outcome: "skipped", reason: `when ${when.source} is false` });
        continue;
      }
      matched ??= route.spec;
      // The route's own entry goes before the entries of its endpoints, which resolving adds.
      const mark = trace?.length ?? 0;
      const outcome = resolution.route(route);
      if (outcome.unknownModel) return { ok: false, error: this.noCandidate(request, true, true), trace };
      if (outcome.candidates.length === 0) {
        trace?.splice(mark, 0, { kind: "route", name: route.spec.name, outcome: "skipped", reason: "its target has no available endpoint" });
        continue;
      }
      const reason = when ? `when ${when.source} is true` : "no when: matches every request";
      trace?.splice(mark, 0, { kind: "route", name: route.spec.name, outcome: "matched", reason });
      return this.finish(route, outcome.candidates, request, resolution);
    }
    const error = this.noCandidate(request, matched !== undefined);
    return matched ? { ok: false, error, trace, route: matched } : { ok: false, error, trace };
  }

  private finish(route: CompiledRoute, candidates: EndpointSpec[], request: DispatchRequest, resolution: Resolution): DispatchResult {
    const trace = resolution.trace;
    const narrowed = request.provider ? narrowCandidates(candidates, request.provider, resolution, trace) : candidates;
    if (narrowed.length === 0) {
      // The client's preferences exclude everything this route chose; another route is not what the config says.
      const error = errors.noEndpoint(`no endpoint of route ${route.spec.name} satisfies the request's provider preferences`);
      return { ok: false, error, trace, route: route.spec };
    }
    if (trace) {
      // By its place in the order, not its target's: the route's primary may have been passed over.
      narrowed.forEach((endpoint, i) =>
        trace.push({ kind: "endpoint", name: endpoint.id, outcome: "selected", reason: i === 0 ? "tried first" : `tried ${ordinal(i + 1)}, if those before it fail` }),
      );
    }
    return { ok: true, route: route.spec, candidates: narrowed, trace };
  }

  private noCandidate(request: DispatchRequest, matched: boolean, unknownModel = false): SwitchyardError {
    if ((!matched || unknownModel) && !this.graph.models.has(request.model)) {
      // Model ids are short and often versioned (gpt-5 vs gpt5): two edits are still a likely typo.
      const hint = didYouMean(request.model, this.graph.models.keys(), 2);
      // An empty name is shown as one, not as a double space.
      return errors.notFound(`model ${request.model || '""'} is not configured${hint ? ` (did you mean ${hint}?)` : ""}`);
    }
    if (!matched) return errors.noRoute(`no route matches model ${request.model}`);
    return errors.noEndpoint(`no endpoint is available for model ${request.model}`);
  }

  private classifiersOf(routes: readonly CompiledRoute[]): readonly string[] {
    const names = new Set<string>();
    for (const route of routes) for (const read of route.spec.when?.reads ?? []) if (this.graph.classifiers.has(read)) names.add(read);
    return names.size === 0 ? NO_CLASSIFIERS : [...names];
  }
}

export function buildDispatchTable(graph: RoutingGraph): DispatchTable {
  return new Table(graph);
}

/** 2 → "2nd", 3 → "3rd", 11 → "11th". */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}
