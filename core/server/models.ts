// GET /v1/models: the config's catalogue in OpenRouter's model-list shape, which OpenAI clients
// also read (`object`, `owned_by`).

import type { RoutingGraph } from "../config/graph.ts";
import { priceToUsdPerMillion } from "../money.ts";

export function modelList(graph: RoutingGraph) {
  const data = [];
  for (const [id, endpoints] of graph.models) {
    const primary = endpoints.find((e) => e.available) ?? endpoints[0];
    if (!primary) continue;
    const perToken = (micro: number | undefined) => (micro === undefined ? undefined : (priceToUsdPerMillion(micro) / 1e6).toFixed(12).replace(/\.?0+$/, ""));
    data.push({
      id,
      object: "model",
      created: 0,
      owned_by: primary.provider,
      name: id,
      context_length: primary.context ?? null,
      pricing: {
        prompt: perToken(primary.price.input),
        completion: perToken(primary.price.output),
        ...(primary.price.cachedInput !== undefined ? { input_cache_read: perToken(primary.price.cachedInput) } : {}),
        ...(primary.price.cacheWrite !== undefined ? { input_cache_write: perToken(primary.price.cacheWrite) } : {}),
        ...(primary.price.reasoning !== undefined ? { internal_reasoning: perToken(primary.price.reasoning) } : {}),
        request: "0",
      },
      top_provider: {
        context_length: primary.context ?? null,
        max_completion_tokens: primary.maxOutput ?? null,
        is_moderated: false,
      },
      endpoints: endpoints.map((e) => ({ provider: e.provider, model: e.model, available: e.available })),
    });
  }
  return { object: "list", data };
}
