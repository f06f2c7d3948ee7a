// /admin/*: reload, status, keys and usage for operators, behind the config's admin key.

import { timingSafeEqual, createHash } from "node:crypto";
import { Elysia } from "elysia";
import { errors, type SwitchyardError } from "../errors.ts";
import { creditLimitProblem, usdToNano } from "../money.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { parseSince } from "../since.ts";
import { bearerToken, jsonRoute, readJson } from "./http.ts";
import { keyView, usageGroup, usageView } from "./views.ts";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Constant-time: both sides are hashed to equal length before comparing. */
function isAdmin(runtime: Runtime, request: Request): boolean {
  const expected = runtime.snapshot.graph.adminKey;
  if (!expected) return false;
  const token = bearerToken(request.headers);
  return token !== null && timingSafeEqual(digest(token), digest(expected));
}

type Handler = (request: Request, params: Record<string, string>) => Promise<unknown>;

/** The 401 a request without the admin key gets anywhere under /admin (a path or method it does not serve included), or null. */
export function adminRefusal(runtime: Runtime, request: Request): SwitchyardError | null {
  if (isAdmin(runtime, request)) return null;
  return errors.unauthorized(runtime.snapshot.graph.adminKey ? "missing or wrong admin key" : "the admin API is off: set admin_key in the config");
}

function admin(runtime: Runtime, handler: Handler) {
  return jsonRoute(async (request, params) => {
    const refusal = adminRefusal(runtime, request);
    if (refusal) throw refusal;
    return handler(request, params);
  });
}

export function adminRoutes(runtime: Runtime) {
  return new Elysia({ prefix: "/admin" })
    .get("/status", admin(runtime, async () => ({
      config_version: runtime.snapshot.version,
      memory: process.memoryUsage(),
      config_file: runtime.snapshot.graph.file,
      inflight: runtime.inflight,
      last_reload: runtime.reloads.at(-1) ?? null,
      reloads: runtime.reloads,
      endpoints: [...runtime.snapshot.graph.models.values()].flat().map((e) => ({
        id: e.id,
        model: e.publicModel,
        available: e.available,
        stats: runtime.stats.snapshot(e.id),
      })),
    })))
    .post("/reload", admin(runtime, async () => runtime.reload("admin")))
    .get("/keys", admin(runtime, async () => {
      // Spend is charged by the batched ledger writes: flush so each key's spend counts every request so far.
      await runtime.ledger.flush();
      return { data: (await runtime.ledger.keys.list()).map(keyView) };
    }))
    .post("/keys", admin(runtime, async (request) => {
      const body = (await readJson(request, 64 * 1024)).json as { name?: unknown; credit_limit?: unknown; rate_limit?: unknown; tags?: unknown };
      if (typeof body.name !== "string" || body.name.trim() === "") throw errors.badRequest("`name` is required");
      const limit = body.credit_limit;
      const problem = limit === undefined || limit === null ? null : creditLimitProblem(typeof limit === "number" ? limit : NaN);
      if (problem) throw errors.badRequest(`\`credit_limit\` ${problem}`);
      const rate = body.rate_limit;
      if (rate !== undefined && rate !== null && (typeof rate !== "number" || !Number.isInteger(rate) || rate < 1)) {
        throw errors.badRequest("`rate_limit` must be a whole number of requests per minute, at least 1");
      }
      // Tags feed routing (`key.tags`): a wrong one is said, not dropped.
      const tags = body.tags ?? [];
      if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== "string")) throw errors.badRequest("`tags` must be a list of strings");
      const created = await runtime.ledger.keys.create({
        name: body.name,
        creditLimit: typeof limit === "number" ? usdToNano(limit) : null,
        rateLimit: typeof rate === "number" ? rate : null,
        tags,
      });
      return { key: created.key, data: keyView(created.record) };
    }))
    .post("/keys/:id/release", admin(runtime, async (_request, params) => {
      const record = await runtime.ledger.keys.releaseHolds(params.id!);
      if (!record) throw errors.notFound(`no key ${params.id}`);
      return { data: keyView(record) };
    }))
    .post("/keys/:id/disable", admin(runtime, async (_request, params) => {
      const record = await runtime.ledger.keys.disable(params.id!);
      if (!record) throw errors.notFound(`no key ${params.id}`);
      return { data: keyView(record) };
    }))
    .get("/usage", admin(runtime, async (request) => {
      const url = new URL(request.url);
      const by = usageGroup(url.searchParams.get("by"));
      const since = sinceParam(url.searchParams.get("since"));
      await runtime.ledger.flush();
      const rows = await runtime.ledger.usage({ by, since });
      return { data: rows.map(usageView) };
    }));
}

/** `since` as `usage --since` reads it (core/since.ts); none is all time. */
function sinceParam(value: string | null): number | undefined {
  if (!value) return undefined;
  const since = parseSince(value, Date.now());
  if ("problem" in since) throw errors.badRequest(`\`since=${value}\` ${since.problem}`);
  return since.at;
}
