// GET /v1/models and /v1/models/{id}: the config's catalogue in OpenRouter's model-list shape, which
// OpenAI clients also read (`object`, `owned_by`), with the members Anthropic's SDKs read beside
// them (`type`, `display_name`, `created_at`, and the list's `has_more`, `first_id`, `last_id`).

import type { RoutingGraph } from "../config/graph.ts";
import { nanoToUsd, priceToUsdPerMillion } from "../money.ts";

/** Every request parameter the gateway serves, for whichever vendor: OpenRouter's `supported_parameters`. */
const SUPPORTED_PARAMETERS = [
  "max_tokens", "temperature", "top_p", "top_k", "stop", "seed", "frequency_penalty", "presence_penalty",
  "tools", "tool_choice", "parallel_tool_calls", "response_format", "structured_outputs", "reasoning", "include_reasoning",
];
/** The provider plugins whose vendors take images: their models say so, as OpenRouter's clients read it before sending one. */
const SEES_IMAGES = new Set(["anthropic", "openai", "gemini"]);

/**
 * The list, or one page of it as Anthropic's SDKs page it (`limit`, `after_id`, `before_id`: their
 * auto-paging asks for the next page after the last id); with none of them, the whole list, as
 * OpenAI's and OpenRouter's clients read it.
 */
export function modelList(graph: RoutingGraph, query?: URLSearchParams) {
  let data = [];
  for (const id of graph.models.keys()) {
    const model = modelEntry(graph, id);
    if (model) data.push(model);
  }
  let hasMore = false;
  const after = query?.get("after_id");
  const before = query?.get("before_id");
  const limit = Number(query?.get("limit") ?? NaN);
  if (after) data = data.slice(data.findIndex((model) => model.id === after) + 1);
  else if (before) data = data.slice(0, Math.max(0, data.findIndex((model) => model.id === before)));
  if (Number.isInteger(limit) && limit > 0 && data.length > limit) {
    hasMore = true;
    data = before && !after ? data.slice(-limit) : data.slice(0, limit);
  }
  return { object: "list", data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** One public model's entry, or null when the config has no such model. */
export function modelEntry(graph: RoutingGraph, id: string) {
  const endpoints = graph.models.get(id);
  const primary = endpoints && (endpoints.find((e) => e.available) ?? endpoints[0]);
  if (!endpoints || !primary) return null;
  const perToken = (micro: number | undefined) => (micro === undefined ? undefined : (priceToUsdPerMillion(micro) / 1e6).toFixed(12).replace(/\.?0+$/, ""));
  const images = SEES_IMAGES.has(graph.providers.get(primary.provider)?.use ?? "");
  const providers = [...new Set(endpoints.map((e) => e.provider))].join(", ");
  return {
    id,
    canonical_slug: id,
    object: "model",
    type: "model",
    created: 0,
    created_at: "1970-01-01T00:00:00Z",
    owned_by: primary.provider,
    name: id,
    display_name: id,
    description: `${id}, served by ${providers}`,
    context_length: primary.context ?? null,
    architecture: {
      modality: images ? "text+image->text" : "text->text",
      input_modalities: images ? ["text", "image"] : ["text"],
      output_modalities: ["text"],
      tokenizer: "Other",
      instruct_type: null,
    },
    pricing: {
      prompt: perToken(primary.price.input),
      completion: perToken(primary.price.output),
      ...(primary.price.cachedInput !== undefined ? { input_cache_read: perToken(primary.price.cachedInput) } : {}),
      ...(primary.price.cacheWrite !== undefined ? { input_cache_write: perToken(primary.price.cacheWrite) } : {}),
      ...(primary.price.reasoning !== undefined ? { internal_reasoning: perToken(primary.price.reasoning) } : {}),
      // OpenRouter's `web_search` is USD per search, as a decimal string like the others.
      ...(primary.price.webSearch !== undefined ? { web_search: String(nanoToUsd(primary.price.webSearch)) } : {}),
      request: "0",
    },
    top_provider: {
      context_length: primary.context ?? null,
      max_completion_tokens: primary.maxOutput ?? null,
      is_moderated: false,
    },
    per_request_limits: null,
    supported_parameters: SUPPORTED_PARAMETERS,
    endpoints: endpoints.map((e) => ({ provider: e.provider, model: e.model, available: e.available })),
  };
}
