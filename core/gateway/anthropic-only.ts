// Requests only Anthropic can serve (its own tools asked for, their calls and results in the
// conversation, citations on a document): the candidates that can, for answering and for counting
// alike, and the 400 when a route has none.

import type { EndpointSpec } from "../config/graph.ts";
import { errors, type SwitchyardError } from "../errors.ts";
import type { ChatRequest } from "../kit/canonical.ts";

/** The candidates that can serve the request: all of them but for a request only Anthropic can serve. */
export function servingCandidates(request: ChatRequest, candidates: readonly EndpointSpec[]): readonly EndpointSpec[] | SwitchyardError {
  if (request.anthropicOnly === undefined) return candidates;
  const serving = candidates.filter((endpoint) => servesAnthropicOnly(endpoint, request));
  return serving.length > 0 ? serving : onlyAnthropic(request, candidates);
}

/**
 * Whether an endpoint can serve a request that only Anthropic can: an Anthropic endpoint, and one
 * priced for web searches when the request may search (the ledger must price every search).
 */
function servesAnthropicOnly(endpoint: EndpointSpec, request: ChatRequest): boolean {
  if (endpoint.providerUse !== "anthropic") return false;
  return endpoint.price.webSearch !== undefined || !request.anthropicTools?.some(isWebSearch);
}

export function isWebSearch(tool: Record<string, unknown>): boolean {
  return typeof tool.type === "string" && tool.type.startsWith("web_search");
}

/** No candidate can serve what only Anthropic can: the client's to change (its tools or its model), so a 400. */
function onlyAnthropic(request: ChatRequest, passed: readonly EndpointSpec[]): SwitchyardError {
  const where = request.anthropicTools?.some(isWebSearch) ? "an Anthropic endpoint priced for web searches (`price.web_search`)" : "an Anthropic endpoint";
  const names = passed.map((endpoint) => endpoint.id).join(", ");
  return errors.badRequest(`${request.anthropicOnly} needs ${where}, and the route's candidates (${names}) have none; name a model served by one`);
}
