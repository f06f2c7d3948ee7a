// Counting a request's input tokens (POST /v1/messages/count_tokens): routed as the chat would be,
// then counted by the first available candidate's vendor when its provider can count, or estimated
// by the gateway when it cannot. Nothing is generated, so nothing is metered or written to the ledger.

import { estimateInputTokens } from "../dispatch/facts.ts";
import { isSwitchyardError, type SwitchyardError } from "../errors.ts";
import type { Snapshot } from "../runtime/snapshot.ts";
import { countAttempt, isClientGone } from "./attempt.ts";
import { servingCandidates } from "./anthropic-only.ts";
import { attemptRecord, forEndpoint, noneAvailable } from "./fallback.ts";
import { route, type GatewayDeps, type IncomingChat, type Served } from "./pipeline.ts";

export type CountOutcome =
  /** `estimated`: the gateway's estimate, as the endpoint's provider cannot count. */
  | { kind: "count"; inputTokens: number; estimated: boolean; served: Served }
  | { kind: "error"; error: SwitchyardError; served: Served };

export async function countTokens(snapshot: Snapshot, deps: Pick<GatewayDeps, "stats">, input: IncomingChat): Promise<CountOutcome> {
  const served: Served = { route: null, model: null, provider: null, attempts: [], overheadMs: 0 };
  let upstreamMs = 0;
  const outcome = (result: { inputTokens: number; estimated: boolean } | SwitchyardError): CountOutcome => {
    served.overheadMs = performance.now() - input.arrivedAt - upstreamMs;
    return isSwitchyardError(result) ? { kind: "error", error: result, served } : { kind: "count", ...result, served };
  };

  const principal = input.principal;
  let estimated: number | undefined;
  const inputTokens = () => (estimated ??= estimateInputTokens(input.request));
  const routed = route(snapshot, deps, input, principal, inputTokens);
  const dispatched = routed instanceof Promise ? await routed : routed;
  if (!dispatched.ok) return outcome(dispatched.error);
  served.route = dispatched.route.name;

  const record = (endpoint: string, started: number, error: SwitchyardError | null = null) => {
    const duration = performance.now() - started;
    upstreamMs += duration;
    served.attempts.push(attemptRecord(endpoint, duration, error, snapshot.redact));
  };
  let failure: SwitchyardError | null = null;
  // A prompt only Anthropic can serve is counted by Anthropic, as it would be answered.
  const candidates = servingCandidates(input.request, dispatched.candidates);
  if (isSwitchyardError(candidates)) return outcome(candidates);
  for (const endpoint of candidates) {
    const provider = snapshot.providers.get(endpoint.provider);
    if (!provider || !deps.stats.available(endpoint.id)) continue;
    served.model = endpoint.publicModel;
    served.provider = endpoint.provider;
    if (!provider.countTokens) return outcome({ inputTokens: inputTokens(), estimated: true });
    const started = performance.now();
    try {
      const counted = await countAttempt({ provider, endpoint, request: forEndpoint(input.request, endpoint), client: input.cancel, count: provider.countTokens });
      record(endpoint.id, started);
      return outcome({ inputTokens: counted, estimated: false });
    } catch (caught) {
      const error = caught as SwitchyardError;
      record(endpoint.id, started, error);
      if (isClientGone(error) || !error.retryable) return outcome(error);
      failure = error;
    }
  }
  return outcome(failure ?? noneAvailable());
}
