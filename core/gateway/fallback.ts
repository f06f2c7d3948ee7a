// Tries the dispatch table's candidates in order until one answers. Connection errors, timeouts,
// 408/429/5xx/529 move on; a request the vendor refused as malformed does not (it would fail
// everywhere), except a context-length refusal, which moves on to endpoints with a larger context.

import type { EndpointSpec } from "../config/graph.ts";
import { errors, isSwitchyardError, SwitchyardError } from "../errors.ts";
import type { ChatRequest } from "../kit/canonical.ts";
import type { AttemptRecord } from "../ledger/types.ts";
import type { StatsRegistry } from "../stats/index.ts";
import { servingCandidates } from "./anthropic-only.ts";
import { attempt, isClientGone, type AttemptSuccess } from "./attempt.ts";
import type { Snapshot } from "../runtime/snapshot.ts";
import { redactValue } from "../redact.ts";
import type { Cancellation } from "./cancellation.ts";

export interface FallbackInput {
  snapshot: Snapshot;
  stats: StatsRegistry;
  candidates: readonly EndpointSpec[];
  request: ChatRequest;
  client: Cancellation;
}

export type FallbackResult =
  | { ok: true; endpoint: EndpointSpec; success: AttemptSuccess; attempts: AttemptRecord[]; upstreamMs: number; startedAt: number }
  | { ok: false; error: SwitchyardError; attempts: AttemptRecord[]; upstreamMs: number; endpoint: EndpointSpec | null };

export async function runCandidates(input: FallbackInput): Promise<FallbackResult> {
  const attempts: AttemptRecord[] = [];
  const failures: SwitchyardError[] = [];
  let upstreamMs = 0;
  let minContext = -1;
  let last: EndpointSpec | null = null;
  const candidates = servingCandidates(input.request, input.candidates);
  if (isSwitchyardError(candidates)) return { ok: false, error: candidates, attempts, upstreamMs, endpoint: null };
  const keepaliveMs = input.snapshot.graph.server.keepaliveMs;
  for (const endpoint of candidates) {
    if (minContext >= 0 && (endpoint.context ?? 0) <= minContext) continue;
    const provider = input.snapshot.providers.get(endpoint.provider);
    // available() and begin() in the same tick: a half-open circuit lets one probe through.
    if (!provider || !input.stats.available(endpoint.id) || !input.stats.begin(endpoint.id)) continue;
    last = endpoint;
    const started = performance.now();
    try {
      const success = await attempt({ provider, endpoint, request: forEndpoint(input.request, endpoint), client: input.client, keepaliveMs });
      const elapsed = performance.now() - started;
      upstreamMs += success.ttftMs;
      if (success.kind === "response") {
        input.stats.end(endpoint.id, { ok: true, latencyMs: elapsed, ttftMs: elapsed });
      }
      attempts.push(attemptRecord(endpoint.id, elapsed, null, input.snapshot.redact));
      return { ok: true, endpoint, success, attempts, upstreamMs, startedAt: started };
    } catch (caught) {
      const error = caught as SwitchyardError;
      const elapsed = performance.now() - started;
      upstreamMs += elapsed;
      attempts.push(attemptRecord(endpoint.id, elapsed, error, input.snapshot.redact));
      if (isClientGone(error)) {
        input.stats.cancel(endpoint.id);
        return { ok: false, error, attempts, upstreamMs, endpoint };
      }
      // A refusal of the request itself says nothing of the endpoint's health: a client sending
      // such requests must not open its circuit for everyone else.
      if (refusesRequest(error)) input.stats.cancel(endpoint.id);
      else input.stats.end(endpoint.id, { ok: false, latencyMs: elapsed, timedOut: error.code === "timeout" });
      if (error.retryAfterMs !== undefined) input.stats.penalize(endpoint.id, Date.now() + error.retryAfterMs);
      if (!error.retryable) return { ok: false, error: redactedError(error, input.snapshot.redact), attempts, upstreamMs, endpoint };
      if (error.code === "context_length_exceeded") minContext = endpoint.context ?? 0;
      failures.push(error);
    }
  }
  const error = failures.length > 0 ? exhausted(failures, attempts, input.snapshot) : noneAvailable(attempts, input.stats.soonestBack(candidates.map((endpoint) => endpoint.id)));
  return { ok: false, error, attempts, upstreamMs, endpoint: last };
}

/** A vendor's (or the encoder's) refusal of the request as sent: malformed, too large, too long for the context. */
function refusesRequest(error: SwitchyardError): boolean {
  const status = error.upstreamStatus ?? error.status;
  return error.code === "context_length_exceeded" || status === 400 || status === 413 || status === 422;
}

/** What the ledger keeps of one attempt: its endpoint, status and time, and a failure's error with configured secrets redacted. */
export function attemptRecord(endpointId: string, elapsedMs: number, error: SwitchyardError | null, redact: (text: string) => string): AttemptRecord {
  const duration = Math.round(elapsedMs);
  if (!error) return { endpoint: endpointId, status: 200, duration_ms: duration, error: null };
  return { endpoint: endpointId, status: error.upstreamStatus ?? error.status, duration_ms: duration, error: `${error.code}: ${redact(error.message)}` };
}

/**
 * No candidate could be tried: each was skipped for its circuit or its rate limit. `retryAfterMs`:
 * when the first of them may be tried again, for the client's `retry-after`.
 */
export function noneAvailable(attempts?: AttemptRecord[], retryAfterMs?: number): SwitchyardError {
  const message = "no candidate endpoint is available right now (circuit open or rate limited)";
  return new SwitchyardError("no_endpoint", message, { ...(attempts ? { metadata: { attempts } } : {}), ...(retryAfterMs ? { retryAfterMs } : {}) });
}

/** The request as this endpoint receives it: its upstream model id, its output cap. */
export function forEndpoint(request: ChatRequest, endpoint: EndpointSpec): ChatRequest {
  const cap = endpoint.maxOutput;
  const maxTokens = cap === undefined ? request.maxTokens : Math.min(request.maxTokens ?? cap, cap);
  return { ...request, model: endpoint.model, maxTokens };
}

function exhausted(failures: SwitchyardError[], attempts: AttemptRecord[], snapshot: Snapshot): SwitchyardError {
  const last = failures[failures.length - 1]!;
  const summary = `all ${failures.length} candidate endpoint(s) failed; last: ${snapshot.redact(last.message)}`;
  const metadata = { attempts, ...(last.metadata ? { upstream: last.metadata } : {}) };
  // When every candidate failed the same way, say so with that status: a client backs off on 429
  // and may raise its own timeout on 408; anything mixed is the vendors' failure, a 502.
  let error: SwitchyardError;
  if (failures.every((f) => f.code === "rate_limited")) {
    error = errors.rateLimited(summary, { metadata, retryAfterMs: minRetryAfter(failures) });
  } else if (failures.every((f) => f.code === "timeout")) {
    error = errors.timeout(summary, { metadata, retryable: false });
  } else if (failures.every((f) => f.code === "context_length_exceeded")) {
    // The prompt is too long for every candidate's context: the client's to shorten, a 400.
    error = new SwitchyardError("context_length_exceeded", summary, { metadata });
  } else if (failures.every((f) => f.code === "plugin_failed")) {
    // Provider plugins that threw are a bug of theirs, not the vendors' failure: a 500 naming them.
    error = new SwitchyardError("plugin_failed", summary, { metadata });
  } else {
    // Every vendor overloaded (Anthropic's 529) is said so: an Anthropic client reads `overloaded_error`.
    // Every one that said when to come back (each sits out until then): the client hears the soonest.
    const overloaded = failures.every((f) => f.upstreamStatus === 529);
    const retryAfterMs = failures.every((f) => f.retryAfterMs !== undefined) ? minRetryAfter(failures) : undefined;
    error = errors.upstream(summary, { metadata, ...(overloaded ? { upstreamStatus: 529 } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  return redactedError(error, snapshot.redact);
}

function minRetryAfter(failures: SwitchyardError[]): number | undefined {
  const waits = failures.map((f) => f.retryAfterMs).filter((w): w is number => w !== undefined);
  return waits.length ? Math.min(...waits) : undefined;
}

/**
 * Vendor error bodies travel in metadata, and a plugin's message may quote its settings: strip
 * configured secrets from both first.
 */
export function redactedError(error: SwitchyardError, redact: (text: string) => string): SwitchyardError {
  const message = redact(error.message);
  if (!error.metadata && message === error.message) return error;
  return new SwitchyardError(error.code, message, {
    cause: error,
    metadata: error.metadata && redactValue(error.metadata, redact),
    status: error.status,
    upstreamStatus: error.upstreamStatus,
    retryAfterMs: error.retryAfterMs,
    retryable: error.retryable,
  });
}
