// What a client may ask about its own usage: one generation's stats (OpenRouter's shape, plus our
// fee and attempts) and its key's limit and spend.

import { Elysia } from "elysia";
import { errors, isSwitchyardError } from "../errors.ts";
import { authenticate } from "../gateway/pipeline.ts";
import type { Principal } from "../kit/plugin.ts";
import { nanoToUsd } from "../money.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { clientKey, jsonRoute } from "./http.ts";

/** A route about the caller's own key, authenticated as the chat endpoints are. */
function guarded(handler: (request: Request, principal: Principal) => Promise<unknown>, runtime: Runtime) {
  return jsonRoute(async (request) => {
    const principal = await authenticate(runtime.snapshot, { headers: request.headers, key: clientKey(request.headers) });
    if (isSwitchyardError(principal)) throw principal;
    return handler(request, principal);
  });
}

export function accountRoutes(runtime: Runtime) {
  return new Elysia()
    .get(
      "/generation",
      guarded(async (request, principal) => {
        const id = new URL(request.url).searchParams.get("id");
        if (!id) throw errors.badRequest("missing query parameter `id`");
        await runtime.ledger.flush();
        const row = await runtime.ledger.generation(id);
        // A key sees only its own generations; with auth `none` every row is the anonymous caller's.
        if (!row || (principal.keyId !== null && row.keyId !== principal.keyId)) {
          throw errors.notFound(`no generation with id ${id}`);
        }
        const usage = row.usage;
        return {
          data: {
            id: row.id,
            model: row.model ?? row.requestedModel,
            requested_model: row.requestedModel,
            route: row.route,
            provider_name: row.provider,
            endpoint: row.endpoint,
            created_at: new Date(row.createdAt).toISOString(),
            streamed: row.stream,
            cancelled: row.status === 499,
            status: row.status,
            error_code: row.errorCode,
            latency: row.latencyMs,
            generation_time: row.latencyMs,
            ttft: row.ttftMs,
            tokens_prompt: usage?.inputTokens ?? 0,
            tokens_completion: usage?.outputTokens ?? 0,
            native_tokens_prompt: usage?.inputTokens ?? 0,
            native_tokens_completion: usage?.outputTokens ?? 0,
            native_tokens_cached: usage?.cachedInputTokens ?? 0,
            // Of the prompt, the tokens written to the vendor's cache (Anthropic's), priced apart.
            native_tokens_cache_write: usage?.cacheWriteTokens ?? 0,
            native_tokens_reasoning: usage?.reasoningTokens ?? 0,
            tokens_estimated: usage?.estimated ?? false,
            upstream_inference_cost: nanoToUsd(row.cost),
            fee: nanoToUsd(row.fee),
            total_cost: nanoToUsd(row.total),
            usage: nanoToUsd(row.total),
            attempts: row.attempts,
          },
        };
      }, runtime),
    )
    .get(
      "/key",
      guarded(async (_request, principal) => {
        // Spend is charged by the batched ledger writes: flush so the answer includes every request so far.
        await runtime.ledger.flush();
        const record = principal.keyId ? await runtime.ledger.keys.get(principal.keyId) : null;
        const spentNano = record?.spent ?? 0;
        const limitNano = principal.creditLimit;
        return {
          data: {
            label: record ? `${record.prefix}…` : principal.name,
            name: principal.name,
            tags: principal.tags,
            usage: nanoToUsd(spentNano),
            limit: limitNano === null ? null : nanoToUsd(limitNano),
            limit_remaining: limitNano === null ? null : nanoToUsd(Math.max(0, limitNano - spentNano)),
            rate_limit: principal.rateLimit ? { requests: principal.rateLimit, interval: "1m" } : null,
            is_free_tier: false,
          },
        };
      }, runtime),
    );
}
