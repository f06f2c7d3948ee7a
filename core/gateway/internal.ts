// Model calls made by plugins (the `llm` classifier): served by the named model's endpoints
// directly, never through the routes (which may read that very classifier), and metered. Their
// cost is the operator's, as routing is: recorded with route `internal` and no key, and no fee,
// which no client pays.

import { errors } from "../errors.ts";
import type { ChatRequest, ChatResponse } from "../kit/canonical.ts";
import type { Snapshot } from "../runtime/snapshot.ts";
import { estimateInputTokens } from "../dispatch/facts.ts";
import { Cancellation } from "./cancellation.ts";
import { runCandidates } from "./fallback.ts";
import { usageCost } from "../money.ts";
import { countedUsage, estimateUsage } from "./meter.ts";
import type { GatewayDeps } from "./pipeline.ts";
import { RowBuilder } from "./row.ts";


export async function completeInternal(
  snapshot: Snapshot,
  deps: GatewayDeps,
  publicModel: string,
  partial: Omit<ChatRequest, "model" | "stream">,
  signal: AbortSignal,
): Promise<ChatResponse> {
  const endpoints = snapshot.graph.models.get(publicModel);
  if (!endpoints) throw errors.notFound(`model ${publicModel} is not configured`);
  const request: ChatRequest = { ...partial, model: publicModel, stream: false };
  // Random past the time: instances sharing a PostgreSQL ledger must not make the same id.
  const id = `int-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 13)}`;
  const row = new RowBuilder({ id, request, arrivedAt: performance.now() }, deps.ledger);
  row.route = "internal";
  const client = new Cancellation();
  const onAbort = () => client.abort(errors.timeout("the plugin's model call was cancelled"));
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  const result = await runCandidates({ snapshot, stats: deps.stats, candidates: endpoints, request, client }).finally(() =>
    signal.removeEventListener("abort", onAbort),
  );
  row.attempts = result.attempts;
  if (result.endpoint) row.endpoint = result.endpoint;
  if (!result.ok) throw row.failed(result.error);
  if (result.success.kind !== "response") throw row.failed(errors.internal("a non-streaming call returned a stream"));
  const response = result.success.response;
  const usage = countedUsage(response.usage ?? estimateUsage(estimateInputTokens(request), response.text.length));
  row.succeeded({ usage, cost: usageCost(usage, result.endpoint.price), fee: 0 }, result.success.ttftMs);
  return { ...response, usage };
}
