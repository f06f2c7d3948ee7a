// One upstream attempt: calls a provider with the endpoint's timeouts and, for streams, waits for
// the first event, so that every failure before the first byte can still move on to a fallback.

import type { EndpointSpec } from "../config/graph.ts";
import { errors, isSwitchyardError, SwitchyardError } from "../errors.ts";
import { EVENT_BATCHES, isStream, type BatchedEvents, type ChatRequest, type ChatResponse, type EventBatches, type StreamEvent } from "../kit/canonical.ts";
import type { ProviderInstance } from "../kit/plugin.ts";
import type { Cancellation } from "./cancellation.ts";

/** Defaults when an endpoint sets no timeout: long generations are normal, silence is not. */
const DEFAULT_TIMEOUT_MS = 300_000;

export type AttemptSuccess =
  | { kind: "response"; response: ChatResponse; ttftMs: number }
  | {
      kind: "stream";
      /** The first batch holding an event, or the end (which may hold the whole stream). */
      first: IteratorResult<StreamEvent[], StreamEvent[] | undefined>;
      iterator: EventBatches;
      ttftMs: number;
      /** Aborts the upstream call (client gone, or total timeout). */
      abort(reason: SwitchyardError): void;
      /** Stops the total-duration timer once the stream has ended. */
      done(): void;
    };

export interface AttemptInput {
  provider: ProviderInstance;
  endpoint: EndpointSpec;
  request: ChatRequest;
  /** The client's cancellation: when it aborts, the upstream call is aborted at once. */
  client: Cancellation;
}

/**
 * Runs one attempt. Throws a SwitchyardError on failure (its `retryable` says whether the next
 * candidate may be tried); a failure inside the plugin that is not one is reported as the plugin's.
 */
export async function attempt(input: AttemptInput): Promise<AttemptSuccess> {
  const { endpoint } = input;
  const started = performance.now();
  const controller = new AbortController();
  // The one pending wait of the attempt rejects when it is aborted, so a plugin that ignores its
  // signal cannot hold us (one wrapper promise per wait, not a second promise and a race).
  let rejectWaiting: ((reason: SwitchyardError) => void) | null = null;
  const guarded = <T>(pending: Promise<T>): Promise<T> => {
    if (controller.signal.aborted) {
      pending.catch(() => {});
      return Promise.reject(controller.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      rejectWaiting = reject;
      pending.then(resolve, reject);
    });
  };
  const abort = (reason: SwitchyardError) => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    rejectWaiting?.(reason);
  };
  const unlink = input.client.onAbort(() => abort(input.client.reason ?? clientGone()));
  const totalMs = endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const firstMs = Math.min(endpoint.firstTokenTimeoutMs ?? totalMs, totalMs);
  const totalTimer = setTimeout(() => abort(timedOut(endpoint, "timeout", totalMs)), totalMs);
  const firstTimer = firstMs < totalMs ? setTimeout(() => abort(timedOut(endpoint, "first_token_timeout", firstMs)), firstMs) : null;
  const cleanup = () => {
    clearTimeout(totalTimer);
    if (firstTimer) clearTimeout(firstTimer);
    unlink();
  };
  try {
    const result = await guarded(input.provider.chat(input.request, controller.signal));
    if (!isStream(result)) {
      cleanup();
      return { kind: "response", response: result, ttftMs: performance.now() - started };
    }
    const iterator = batchesOf(result);
    let first: IteratorResult<StreamEvent[], StreamEvent[] | undefined>;
    do first = await guarded(iterator.next());
    while (!first.done && first.value.length === 0);
    if (firstTimer) clearTimeout(firstTimer);
    return { kind: "stream", first, iterator, ttftMs: performance.now() - started, abort, done: cleanup };
  } catch (error) {
    cleanup();
    const failure = asGatewayError(error, endpoint.provider, controller.signal);
    // Make sure the upstream connection is released whatever the plugin did.
    abort(failure);
    throw failure;
  }
}

/** A stream's events in batches: its own when it offers them, else one event a batch. */
function batchesOf(stream: AsyncIterable<StreamEvent>): EventBatches {
  const own = (stream as Partial<BatchedEvents>)[EVENT_BATCHES];
  if (own) return own.call(stream);
  const events = stream[Symbol.asyncIterator]();
  return {
    async next() {
      const step = await events.next();
      return step.done ? step : { done: false, value: [step.value] };
    },
    async return(value?: unknown) {
      await events.return?.(value);
      return { done: true, value: undefined };
    },
  };
}

/** A provider's failure as a gateway error: the abort's reason, its own, or one naming the plugin. */
export function asGatewayError(error: unknown, providerName: string, signal?: AbortSignal): SwitchyardError {
  if (signal?.aborted && isSwitchyardError(signal.reason)) return signal.reason;
  if (isSwitchyardError(error)) return error;
  if (error instanceof TypeError || (error instanceof Error && /ECONN|socket|network|fetch failed/i.test(error.message))) {
    // fetch failures surface as TypeError: the vendor could not be reached.
    return errors.upstream(`provider "${providerName}" could not be reached: ${error.message}`, {
      cause: error,
      retryable: true,
      metadata: { provider: providerName },
    });
  }
  return errors.pluginFailed(providerName, "chat", error, { retryable: true });
}

function timedOut(endpoint: EndpointSpec, setting: string, ms: number): SwitchyardError {
  return errors.timeout(`endpoint ${endpoint.id} exceeded its ${setting} of ${ms} ms`, {
    metadata: { endpoint: endpoint.id },
  });
}

const CLIENT_GONE = "client_disconnected";

export function clientGone(): SwitchyardError {
  return new SwitchyardError("bad_request", "the client closed the connection", {
    status: 499,
    metadata: { reason: CLIENT_GONE },
  });
}

export function isClientGone(error: SwitchyardError): boolean {
  return error.metadata?.reason === CLIENT_GONE;
}
