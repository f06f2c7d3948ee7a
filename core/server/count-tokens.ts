// POST /v1/messages/count_tokens, which Claude Code calls every turn to manage its context window:
// the input tokens of a Messages body, counted by the vendor the request would be routed to (its
// provider's `countTokens`: Anthropic's and Gemini's), or estimated by the gateway (and said so in
// `x-switchyard-estimated`) when that vendor cannot count.

import { countTokens } from "../gateway/count.ts";
import { isSwitchyardError } from "../errors.ts";
import type { ChatRequest } from "../kit/canonical.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { anthropicCount } from "./dialects.ts";
import { errorResponse, newRequestId, readJson, refusedBeforeBody, servedHeaders, toGatewayError } from "./http.ts";
import { callerOf, InFlight } from "./ingress.ts";

export async function handleCountTokens(request: Request, runtime: Runtime): Promise<Response> {
  const arrivedAt = performance.now();
  const id = newRequestId();
  const caller = callerOf(runtime, request);
  const principal = caller instanceof Promise ? await caller : caller;
  if (isSwitchyardError(principal)) return errorResponse(principal, refusedBeforeBody(servedHeaders(id, null, "anthropic"), request), "anthropic");
  let decoded: ChatRequest;
  try {
    const body = await readJson(request, runtime.snapshot.graph.server.bodyLimit);
    anthropicCount.validate(body.json);
    decoded = anthropicCount.decode(body.json, request.headers);
  } catch (error) {
    return errorResponse(toGatewayError(error), servedHeaders(id, null, "anthropic"), "anthropic");
  }
  const inFlight = new InFlight(request, runtime);
  try {
    const outcome = await countTokens(inFlight.snapshot, runtime, {
      id,
      request: decoded,
      headers: request.headers,
      principal,
      cancel: inFlight.client,
      arrivedAt,
    });
    const headers = servedHeaders(id, outcome.served, "anthropic");
    if (outcome.kind === "error") return errorResponse(outcome.error, headers, "anthropic");
    if (outcome.estimated) headers["x-switchyard-estimated"] = "true";
    return Response.json({ input_tokens: outcome.inputTokens }, { headers });
  } catch (error) {
    return errorResponse(toGatewayError(error), servedHeaders(id, null, "anthropic"), "anthropic");
  } finally {
    inFlight.release();
  }
}
