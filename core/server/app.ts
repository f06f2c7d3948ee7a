// The HTTP surface: every route of DESIGN.md's contract, under /v1 and /api/v1 alike.

import { Elysia } from "elysia";
import { errors } from "../errors.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { adminRoutes } from "./admin.ts";
import { accountRoutes } from "./account.ts";
import { anthropicDialect, openaiDialect } from "./dialects.ts";
import { errorResponse, plainHeaders, toGatewayError } from "./http.ts";
import { handleChat } from "./ingress.ts";
import { Metrics } from "./metrics.ts";
import { modelList } from "./models.ts";

export function createApp(runtime: Runtime) {
  const metrics = new Metrics();
  const api = (prefix: string) =>
    new Elysia({ prefix })
      .post("/chat/completions", ({ request }) => handleChat(openaiDialect, request, runtime, metrics))
      .post("/messages", ({ request }) => handleChat(anthropicDialect, request, runtime, metrics))
      .get("/models", () => Response.json(modelList(runtime.snapshot.graph), { headers: plainHeaders() }))
      .use(accountRoutes(runtime));

  return new Elysia()
    .use(api("/v1"))
    .use(api("/api/v1"))
    .get("/health", () => Response.json({ status: "ok", config_version: runtime.snapshot.version }, { headers: plainHeaders() }))
    .get("/metrics", () => new Response(metrics.render(runtime), { headers: { ...plainHeaders(), "content-type": "text/plain; version=0.0.4" } }))
    .use(adminRoutes(runtime))
    .onError(({ code, error }) => {
      const headers = plainHeaders();
      if (code === "NOT_FOUND") return errorResponse(errors.notFound("no such endpoint"), headers);
      if (code === "PARSE") return errorResponse(errors.badRequest("the request body could not be parsed"), headers);
      runtime.log.error("unhandled error", { error: error instanceof Error ? error.message : String(error) });
      return errorResponse(toGatewayError(error), headers);
    });
}

export type App = ReturnType<typeof createApp>;
