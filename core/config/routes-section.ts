// `routes:`: names, `when:` conditions, targets, catch-all reachability and empty/unavailable targets.

import { requestCatalogue } from "../expr/catalogue.ts";
import type { ClassifierSpec, EndpointSpec, PoolSpec, RouteSpec, Target } from "./graph.ts";
import { compileAt, type Context } from "./context.ts";
import { countEndpoints, resolveTarget, type TargetNames } from "./models-section.ts";
import { RouteSchema, type RouteEntry } from "./schema.ts";
import { pointerOf } from "./source.ts";
import { validatorOf } from "./validate.ts";

const routeValidator = validatorOf(RouteSchema);

export interface RouteInputs {
  names: TargetNames;
  models: ReadonlyMap<string, readonly EndpointSpec[]>;
  pools: ReadonlyMap<string, PoolSpec>;
  classifiers: ReadonlyMap<string, ClassifierSpec>;
  /** Classifiers that failed to load: rules reading them are not reported again. */
  brokenClassifiers: ReadonlySet<string>;
}

function checkTarget(ctx: Context, target: Target, name: string, pointer: string, inputs: RouteInputs): void {
  const { total, available } = countEndpoints(target, inputs.models, inputs.pools);
  if (total === 0) {
    ctx.source.report("empty-target", `"${name}" resolves to no endpoint`, ctx.source.at(pointer), {
      hint: target.kind === "pool" ? "none of the pool's members has an endpoint" : "give the model at least one endpoint",
    });
  } else if (available === 0) {
    ctx.source.report("unavailable-target", `every endpoint of "${name}" is on a provider without an API key`, ctx.source.at(pointer), {
      severity: "warning",
      hint: "set the provider's API key; until then requests use the fallbacks",
    });
  }
}

function target(ctx: Context, name: string, pointer: string, inputs: RouteInputs): Target | undefined {
  const resolved = resolveTarget(ctx, name, pointer, inputs.names, true);
  if (resolved) checkTarget(ctx, resolved, name, pointer, inputs);
  return resolved;
}

function reportUnreachable(ctx: Context, entry: RouteEntry, catchAll: RouteEntry, pointer: string): void {
  const { name } = catchAll;
  const why = catchAll.when === undefined ? "" : ` (its when: is true whatever the request)`;
  ctx.source.report("unreachable-route", `route "${entry.name}" can never match: route "${name}" above it matches every request${why}`, ctx.source.at(`${pointer}/name`), {
    hint: catchAll.when === undefined ? `move it above "${name}", or give "${name}" a when:` : `move it above "${name}", or give "${name}" a when: some requests fail`,
  });
}

export function buildRoutes(ctx: Context, raw: unknown, inputs: RouteInputs): RouteSpec[] {
  if (!Array.isArray(raw)) return [];
  // Classifiers that failed still count as facts, so a typo'd classifier is reported once, where defined.
  const facts = new Map<string, { labels?: readonly string[] }>(inputs.classifiers);
  for (const name of inputs.brokenClassifiers) facts.set(name, {});
  const catalogue = requestCatalogue(facts);
  const routes: RouteSpec[] = [];
  const seen = new Map<string, number>();
  let catchAll: RouteEntry | undefined;
  for (const [index, value] of raw.entries()) {
    if (!routeValidator.check(value)) continue;
    const entry: RouteEntry = value;
    const pointer = pointerOf("routes", index);
    const previous = seen.get(entry.name);
    if (previous !== undefined) {
      ctx.source.report("duplicate-name", `route name "${entry.name}" is already used by route ${previous + 1}`, ctx.source.at(`${pointer}/name`));
    } else seen.set(entry.name, index);
    if (catchAll) reportUnreachable(ctx, entry, catchAll, pointer);
    const when = entry.when === undefined ? undefined : compileAt(ctx, entry.when, `${pointer}/when`, catalogue);
    // `when: true`, or any condition its literals decide as true, matches every request as no when: does.
    if (entry.when === undefined || when?.constant === true) catchAll ??= entry;
    const to = target(ctx, entry.to, `${pointer}/to`, inputs);
    const fallback = (entry.fallback ?? []).flatMap((name, i) => target(ctx, name, `${pointer}/fallback/${i}`, inputs) ?? []);
    if (to) routes.push({ name: entry.name, index, ...(when ? { when } : {}), to, fallback });
  }
  return routes;
}
