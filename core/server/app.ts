// The HTTP surface: every route of DESIGN.md's contract, under /v1 and /api/v1 alike.

import type { Server } from "bun";
import { Elysia } from "elysia";
import type { RoutingGraph } from "../config/graph.ts";
import { describe, errors, SwitchyardError } from "../errors.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { adminRefusal, adminRoutes } from "./admin.ts";
import { allowedOrigin, preflight, refusedOrigin, withCors } from "./cors.ts";
import { accountRoutes } from "./account.ts";
import { anthropicDialect, openaiDialect, responsesDialect } from "./dialects.ts";
import { errorResponse, plainHeaders, toGatewayError } from "./http.ts";
import { handleCountTokens } from "./count-tokens.ts";
import { IDLE_TIMEOUT_S, IdleTimeout } from "./idle.ts";
import { handleChat, type ChatContext, type Dialect } from "./ingress.ts";
import { Metrics } from "./metrics.ts";
import { modelEntry, modelList } from "./models.ts";

const API_PREFIXES = ["/v1", "/api/v1"] as const;

/** `idleTimeoutS` is the server's idle timeout, which a chat request lifts while its answer is pending (idle.ts). */
export function createApp(runtime: Runtime, idleTimeoutS = IDLE_TIMEOUT_S) {
  const context: ChatContext = { runtime, metrics: new Metrics(), idle: new IdleTimeout(idleTimeoutS) };
  const { metrics } = context;
  const origins = () => runtime.snapshot.graph.server.corsOrigins;
  const chat = (dialect: Dialect) => (request: Request, server?: Server<unknown>) => handleChat(dialect, request, context, server);
  const openaiChat = chat(openaiDialect);
  const anthropicChat = chat(anthropicDialect);
  const responsesChat = chat(responsesDialect);
  const countTokens = (request: Request) => handleCountTokens(request, runtime);
  /**
   * A direct route: the framework's hooks never see it, so it adds the CORS headers its origin is
   * allowed itself; with no CORS configured, the handler's own promise goes back as it is.
   */
  const direct = (handler: (request: Request, server?: Server<unknown>) => Promise<Response>) => ({
    POST: (request: Request, server?: Server<unknown>) => {
      const origin = allowedOrigin(origins(), request);
      const refusal = refusedOrigin(origin, request);
      if (refusal) return Promise.resolve(originRefused(refusal, request));
      const answer = handler(request, server);
      return origin === null ? answer : answer.then((response) => withCors(response, origin));
    },
  });
  // The chat endpoints, as Bun's router calls them when the app listens: straight to the handler,
  // without the framework's per-request context and response mapping, which cost 2–5% of a small
  // chat's CPU under load (bench/ab.ts: 0.953–0.977 over four runs). The framework's own routes
  // below serve the same handlers to `app.handle`, where the framework's hooks add the CORS headers.
  const routes: Record<string, ReturnType<typeof direct>> = {};
  for (const prefix of API_PREFIXES) {
    routes[`${prefix}/chat/completions`] = direct(openaiChat);
    routes[`${prefix}/responses`] = direct(responsesChat);
    routes[`${prefix}/messages`] = direct(anthropicChat);
    routes[`${prefix}/messages/count_tokens`] = direct(countTokens);
  }
  const api = (prefix: string) =>
    new Elysia({ prefix })
      .post("/chat/completions", ({ request, server }) => openaiChat(request, server ?? undefined))
      .post("/responses", ({ request, server }) => responsesChat(request, server ?? undefined))
      .post("/messages", ({ request, server }) => anthropicChat(request, server ?? undefined))
      .post("/messages/count_tokens", ({ request }) => countTokens(request))
      .get("/models", ({ request }) => Response.json(modelList(runtime.snapshot.graph, new URL(request.url).searchParams), { headers: plainHeaders() }))
      .get("/models/*", ({ params, request }) => modelResponse(runtime.snapshot.graph, params["*"], request.headers))
      .use(accountRoutes(runtime));

  // The methods each fixed path answers, read from the routes once they are all declared: a known
  // path asked with another method is a 405 naming them, not a "no such endpoint".
  const methods = new Map<string, string[]>();
  /** The answer to a request the routes did not serve, or whose handler threw. */
  const errorFor = (code: unknown, error: unknown, request: Request): Response => {
    const headers = plainHeaders();
    if (code === "NOT_FOUND") {
      const path = new URL(request.url).pathname;
      const refusal = path === "/admin" || path.startsWith("/admin/") ? adminRefusal(runtime, request) : null;
      if (refusal) return errorResponse(refusal, headers);
      const allowed = methods.get(path);
      // Under Messages' path, in the shape an Anthropic SDK reads.
      const dialect = MESSAGES_PATH.test(path) ? "anthropic" : "openai";
      if (!allowed) return errorResponse(errors.notFound("no such endpoint"), headers, dialect);
      const message = `${request.method} is not served at ${path}: use ${allowed.join(" or ")}`;
      return errorResponse(new SwitchyardError("bad_request", message, { status: 405 }), { ...headers, allow: allowed.join(", ") }, dialect);
    }
    if (code === "PARSE") return errorResponse(errors.badRequest("the request body could not be parsed"), headers);
    runtime.log.error("unhandled error", { error: describe(error) });
    return errorResponse(toGatewayError(error), headers);
  };
  const app = new Elysia({ serve: { routes } })
    // A browser's preflight, from an allowed origin, to any path; the framework's routes' answers get the origin after.
    .onRequest(({ request }) => {
      const origin = allowedOrigin(origins(), request);
      const refusal = refusedOrigin(origin, request);
      if (refusal) return originRefused(refusal, request);
      if (origin !== null && request.method === "OPTIONS") return preflight(request, origin);
    })
    .onAfterHandle({ as: "global" }, ({ request, response }) => {
      const origin = allowedOrigin(origins(), request);
      if (origin !== null && response instanceof Response) withCors(response, origin);
    })
    .use(api(API_PREFIXES[0]))
    .use(api(API_PREFIXES[1]))
    // Liveness: the process answers. `ledger` says whether its database does (keys, holds, rows).
    .get("/health", () =>
      Response.json({ status: "ok", config_version: runtime.snapshot.version, ledger: runtime.ledger.reachable() ? "ok" : "unreachable" }, { headers: plainHeaders() }),
    )
    .get("/metrics", () => new Response(metrics.render(runtime), { headers: { ...plainHeaders(), "content-type": "text/plain; version=0.0.4" } }))
    .use(adminRoutes(runtime))
    .onError(({ code, error, request }) => {
      const origin = allowedOrigin(origins(), request);
      const response = errorFor(code, error, request);
      return origin === null ? response : withCors(response, origin);
    });
  for (const route of app.routes) {
    if (/[:*]/.test(route.path)) continue;
    const known = methods.get(route.path) ?? [];
    if (!known.includes(route.method)) methods.set(route.path, [...known, route.method]);
  }
  return app;
}

const MESSAGES_PATH = /^(\/api)?\/v1\/messages(\/|$)/;

/** A request from a browser origin not allowed, refused in the error shape of the path's dialect. */
function originRefused(refusal: SwitchyardError, request: Request): Response {
  return errorResponse(refusal, plainHeaders(), MESSAGES_PATH.test(new URL(request.url).pathname) ? "anthropic" : "openai");
}

/**
 * One model (OpenAI's and Anthropic's `models.retrieve`); an unknown one is a 404 in the error
 * shape of the SDK that asked. The id may hold slashes (`openai/gpt-5`), so it is the rest of the path.
 */
function modelResponse(graph: RoutingGraph, path: string, headers: Headers): Response {
  let id = path;
  try {
    id = decodeURIComponent(path);
  } catch {} // not percent-encoded text: the id as it came, which names no model
  const model = modelEntry(graph, id);
  if (model) return Response.json(model, { headers: plainHeaders() });
  const dialect = headers.has("anthropic-version") ? "anthropic" : "openai";
  return errorResponse(errors.notFound(`no model named "${id}" in the catalogue`), plainHeaders(), dialect);
}

export type App = ReturnType<typeof createApp>;
