// `models:` and `pools:`: endpoints with exact prices, pool members, pool cycles, target resolution.

import { endpointCatalogue } from "../expr/catalogue.ts";
import { suggestion } from "../expr/did-you-mean.ts";
import { configFact } from "../dispatch/endpoint-facts.ts";
import { priceFromUsdPerMillion, usdToNano, type Price } from "../money.ts";
import type { EndpointSpec, PoolSpec, ProviderSpec, Target } from "./graph.ts";
import { compileAt, type Context, isRecord, timerAt } from "./context.ts";
import type { Providers } from "./plugins-section.ts";
import { EndpointSchema, type EndpointEntry, PoolSchema, type PoolEntry } from "./schema.ts";
import { pointerOf } from "./source.ts";
import { validatorOf } from "./validate.ts";

const endpointValidator = validatorOf(EndpointSchema);
const poolValidator = validatorOf(PoolSchema);

export interface Models {
  models: Map<string, EndpointSpec[]>;
  broken: Set<string>;
}

function price(entry: EndpointEntry["price"]): Price {
  const out: Price = { input: priceFromUsdPerMillion(entry.input), output: priceFromUsdPerMillion(entry.output) };
  if (entry.cached_input !== undefined) out.cachedInput = priceFromUsdPerMillion(entry.cached_input);
  if (entry.cache_write !== undefined) out.cacheWrite = priceFromUsdPerMillion(entry.cache_write);
  if (entry.cache_write_1h !== undefined) out.cacheWrite1h = priceFromUsdPerMillion(entry.cache_write_1h);
  if (entry.reasoning !== undefined) out.reasoning = priceFromUsdPerMillion(entry.reasoning);
  if (entry.web_search !== undefined) out.webSearch = usdToNano(entry.web_search / 1000);
  return out;
}

function endpoint(ctx: Context, publicModel: string, entry: EndpointEntry, provider: ProviderSpec, pointer: string): EndpointSpec {
  const spec: EndpointSpec = {
    id: `${entry.provider}/${entry.model}`,
    publicModel,
    provider: entry.provider,
    providerUse: provider.use,
    model: entry.model,
    price: price(entry.price),
    weight: entry.weight ?? 1,
    available: provider.available,
  };
  if (entry.context !== undefined) spec.context = entry.context;
  if (entry.timeout !== undefined) spec.timeoutMs = timerAt(ctx, entry.timeout, `${pointer}/timeout`);
  if (entry.first_token_timeout !== undefined) spec.firstTokenTimeoutMs = timerAt(ctx, entry.first_token_timeout, `${pointer}/first_token_timeout`);
  if (entry.max_output !== undefined) spec.maxOutput = entry.max_output;
  if (entry.weight !== undefined) spec.weighted = true;
  return spec;
}

export function buildModels(ctx: Context, raw: unknown, providers: Providers): Models {
  const result: Models = { models: new Map(), broken: new Set() };
  if (!isRecord(raw)) return result;
  for (const [id, list] of Object.entries(raw)) {
    if (reservedTarget(ctx, "model", id, pointerOf("models", id))) {
      result.broken.add(id);
      continue;
    }
    const endpoints: EndpointSpec[] = [];
    if (!Array.isArray(list)) result.broken.add(id);
    for (const [i, entry] of (Array.isArray(list) ? list : []).entries()) {
      // The provider is checked even on an entry with other errors: all of an entry's problems at once.
      const name = isRecord(entry) && typeof entry.provider === "string" && entry.provider !== "" ? entry.provider : undefined;
      const provider = name === undefined ? undefined : providers.providers.get(name);
      if (name !== undefined && !provider && !providers.broken.has(name)) {
        const hint = suggestion(name, providers.providers.keys());
        ctx.source.report("unknown-provider", `provider "${name}" is not defined`, ctx.source.at(pointerOf("models", id, i, "provider")), { hint });
      }
      if (!provider || !endpointValidator.check(entry)) {
        result.broken.add(id);
        continue;
      }
      endpoints.push(endpoint(ctx, id, entry, provider, pointerOf("models", id, i)));
    }
    // A model whose every endpoint is broken (reported already) is left out, as a broken name:
    // the routes and pools naming it would each be an empty-target error again.
    if (endpoints.length > 0 || !result.broken.has(id)) result.models.set(id, endpoints);
  }
  return result;
}

/** `""` and `$model` name no model or pool a route can reach: the one is no name, the other the client's model. */
function reservedTarget(ctx: Context, kind: "model" | "pool", name: string, pointer: string): boolean {
  if (name !== "" && name !== "$model") return false;
  const why = name === "" ? "a target cannot be empty" : "a route's $model is the model the client names";
  ctx.source.report("reserved-name", `a ${kind} cannot be named ${JSON.stringify(name)}: ${why}`, ctx.source.at(pointer, "key"), { hint: `rename the ${kind}` });
  return true;
}

/** Resolves a name used as a target; reports unknown ones at `pointer`. */
export function resolveTarget(ctx: Context, name: string, pointer: string, names: TargetNames, allowRequestModel: boolean): Target | undefined {
  if (name === "$model" && allowRequestModel) return { kind: "request-model" };
  if (names.models.has(name)) return { kind: "model", name };
  if (names.pools.has(name)) return { kind: "pool", name };
  if (names.broken.has(name)) return undefined;
  const candidates = [...names.models, ...names.pools, ...(allowRequestModel ? ["$model"] : [])];
  const hint = name === "$model" ? "$model is only valid as a route target" : suggestion(name, candidates);
  ctx.source.report("unknown-target", `"${name}" is neither a model nor a pool`, ctx.source.at(pointer), { hint });
  return undefined;
}

export interface TargetNames {
  models: ReadonlySet<string>;
  pools: ReadonlySet<string>;
  broken: ReadonlySet<string>;
}

/** `names.pools` and `names.broken` are updated: a pool none of whose members stands is a broken name. */
export function buildPools(ctx: Context, raw: unknown, names: TargetNames & { pools: Set<string>; broken: Set<string> }): Map<string, PoolSpec> {
  const pools = new Map<string, PoolSpec>();
  if (!isRecord(raw)) return pools;
  for (const [name, value] of Object.entries(raw)) {
    const pointer = pointerOf("pools", name);
    if (reservedTarget(ctx, "pool", name, pointer)) {
      names.pools.delete(name);
      names.broken.add(name);
      continue;
    }
    if (names.models.has(name)) {
      ctx.source.report("duplicate-name", `"${name}" is both a model and a pool`, ctx.source.at(pointer, "key"), { hint: "rename the pool" });
    }
    // Members and require are checked even in a pool with other errors: all of its problems at once.
    const written = isRecord(value) ? value : {};
    const members = Array.isArray(written.among) ? written.among : [];
    const among = members.flatMap((member, i) =>
      typeof member === "string" && member !== "" ? (resolveTarget(ctx, member, `${pointer}/among/${i}`, names, false) ?? []) : [],
    );
    const require = typeof written.require === "string" ? compileAt(ctx, written.require, `${pointer}/require`, endpointCatalogue()) : undefined;
    if (!poolValidator.check(value) || among.length === 0) {
      // Its errors (or each of its members') are reported already: the routes naming it would be an empty-target error again.
      names.pools.delete(name);
      names.broken.add(name);
      continue;
    }
    const entry: PoolEntry = value;
    pools.set(name, { name, pick: entry.pick, among, ...(require ? { require } : {}) });
  }
  reportCycles(ctx, pools);
  return pools;
}

function reportCycles(ctx: Context, pools: ReadonlyMap<string, PoolSpec>): void {
  const done = new Set<string>();
  const reported = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    const at = path.indexOf(name);
    if (at !== -1) {
      const cycle = path.slice(at);
      const key = [...cycle].sort().join("\0");
      if (reported.has(key)) return;
      reported.add(key);
      const first = cycle[0]!;
      ctx.source.report("pool-cycle", `pools form a cycle: ${[...cycle, first].join(" → ")}`, ctx.source.at(pointerOf("pools", first), "key"), {
        hint: "a pool must end in models",
      });
      return;
    }
    if (done.has(name)) return;
    for (const member of pools.get(name)?.among ?? []) if (member.kind === "pool") visit(member.name, [...path, name]);
    done.add(name);
  };
  for (const name of pools.keys()) visit(name, []);
}

/** How many endpoints a target reaches, and how many of them are on available providers. */
export function countEndpoints(target: Target, models: ReadonlyMap<string, readonly EndpointSpec[]>, pools: ReadonlyMap<string, PoolSpec>, seen = new Set<string>()): { total: number; available: number } {
  if (target.kind === "request-model") return { total: 1, available: 1 };
  if (target.kind === "model") {
    const endpoints = models.get(target.name) ?? [];
    return { total: endpoints.length, available: endpoints.filter((e) => e.available).length };
  }
  if (seen.has(target.name)) return { total: 0, available: 0 };
  seen.add(target.name);
  const sum = { total: 0, available: 0 };
  for (const member of pools.get(target.name)?.among ?? []) {
    const count = countEndpoints(member, models, pools, seen);
    sum.total += count.total;
    sum.available += count.available;
  }
  return sum;
}

/**
 * A pool whose `require:` no member can meet by its config alone (its price, context, provider or
 * model; a statistic with no samples passes, as at start) resolves to no endpoint, ever: said at
 * the requirement, with what each member has, and the pool is broken for the routes naming it.
 */
export function checkRequirements(
  ctx: Context,
  pools: Map<string, PoolSpec>,
  models: ReadonlyMap<string, readonly EndpointSpec[]>,
  names: { pools: Set<string>; broken: Set<string> },
): void {
  for (const pool of pools.values()) {
    if (!pool.require) continue;
    const members = pool.among.flatMap((member) => endpointsOf(member, models, pools, new Set([pool.name])));
    if (members.length === 0 || members.some((endpoint) => meetsOnConfig(pool.require!, endpoint))) continue;
    const shown = members.slice(0, 3).map((endpoint) => `${endpoint.id} (${describeConfigFacts(pool.require!.reads, endpoint)})`);
    const more = members.length > 3 ? ` and ${members.length - 3} more` : "";
    ctx.source.report("empty-target", `pool "${pool.name}": no member meets require: ${pool.require.source} by its config: ${shown.join(", ")}${more}`, ctx.source.at(pointerOf("pools", pool.name, "require")), {
      hint: "loosen the requirement, or add a member that meets it",
    });
    pools.delete(pool.name);
    names.pools.delete(pool.name);
    names.broken.add(pool.name);
  }
}

/** The endpoints a target reaches, through pools and the requirements of those it passes. */
function endpointsOf(target: Target, models: ReadonlyMap<string, readonly EndpointSpec[]>, pools: ReadonlyMap<string, PoolSpec>, seen: Set<string>): readonly EndpointSpec[] {
  if (target.kind === "request-model") return [];
  if (target.kind === "model") return models.get(target.name) ?? [];
  const pool = pools.get(target.name);
  if (!pool || seen.has(target.name)) return [];
  seen.add(target.name);
  const reached = pool.among.flatMap((member) => endpointsOf(member, models, pools, seen));
  return pool.require ? reached.filter((endpoint) => meetsOnConfig(pool.require!, endpoint)) : reached;
}

/** Whether the endpoint meets the requirement by its config alone: its statistics unknown, which passes any. */
function meetsOnConfig(require: NonNullable<PoolSpec["require"]>, endpoint: EndpointSpec): boolean {
  return require.test({ get: (name) => configFact(endpoint, name) });
}

function describeConfigFacts(reads: readonly string[], endpoint: EndpointSpec): string {
  return reads.flatMap((name) => {
    const value = configFact(endpoint, name);
    return value === undefined ? [] : [`${name}=${value}`];
  }).join(", ");
}
