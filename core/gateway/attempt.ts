// One upstream attempt: calls a provider with the endpoint's timeouts and, for streams, waits for
// the first event (and an opening alone, briefly, for what follows it), so that every failure
// before the client is told anything can still move on to a fallback. The answer comes back in the
// kind the request asked for, whichever the provider gave (see whole-stream.ts).

import type { EndpointSpec } from "../config/graph.ts";
import { errors, isSwitchyardError, SwitchyardError } from "../errors.ts";
import { EVENT_BATCHES, isStream, type BatchedEvents, type ChatRequest, type ChatResponse, type ChatResult, type EventBatches, type StreamEvent } from "../kit/canonical.ts";
import type { ProviderInstance } from "../kit/plugin.ts";
import type { Cancellation } from "./cancellation.ts";
import { WholeAnswer, wholeAsStream } from "./whole-stream.ts";

/** Defaults when an endpoint sets no timeout: long generations are normal, silence is not. */
export const DEFAULT_TIMEOUT_MS = 300_000;

/** One read of a stream's event batches; the one that ends the stream may hold its last batch. */
export type Step = IteratorResult<StreamEvent[], StreamEvent[] | undefined>;

export type AttemptSuccess =
  | { kind: "response"; response: ChatResponse; ttftMs: number }
  | {
      kind: "stream";
      /** The first batch holding an event, or the end (which may hold the whole stream). */
      first: Step;
      /** The read under way when an opening's hold ran out (see OPENING_HOLD_MS): the relay's next. */
      pending?: Promise<Step>;
      iterator: EventBatches;
      ttftMs: number;
      /** The upstream call, still open while the stream is relayed. */
      call: StreamingCall;
    };

export interface StreamingCall {
  /** Aborts the upstream call (client gone, or timed out). */
  abort(reason: SwitchyardError): void;
  /** The relay read from the vendor: a stream still sending outlives its `timeout`. */
  heard(): void;
  /** Stops the timers and unlinks the client once the stream has ended. */
  done(): void;
}

export interface AttemptInput {
  provider: ProviderInstance;
  endpoint: EndpointSpec;
  request: ChatRequest;
  /** The client's cancellation: when it aborts, the upstream call is aborted at once. */
  client: Cancellation;
  /** The config's `server.keepalive`: a stream's opening is held no longer than that silence (see openingHoldMs). */
  keepaliveMs?: number;
}

/**
 * How long a stream that has only opened (its `start`, nothing said yet) is held for its first
 * content before it is committed to: a vendor that fails in that time (Anthropic's overloaded_error
 * right after message_start) still moves on to the next candidate. The client waits for no token,
 * only for the response head; a vendor silent for longer (a model thinking) is committed to when
 * the hold runs out, and the read under way goes on in the relay. An endpoint's
 * `first_token_timeout` holds it until that passes instead (see openingHoldMs).
 */
const OPENING_HOLD_MS = 1_000;

/**
 * Runs one attempt. Throws a SwitchyardError on failure (its `retryable` says whether the next
 * candidate may be tried); a failure inside the plugin that is not one is reported as the plugin's.
 */
export async function attempt(input: AttemptInput): Promise<AttemptSuccess> {
  const { endpoint } = input;
  const started = performance.now();
  const call = new UpstreamCall(endpoint, input.client);
  try {
    // A plugin written as `async *chat` (or a plain `chat`) returns its answer itself, not a promise of one.
    const called: unknown = input.provider.chat(input.request, call.signal);
    const result = isThenable(called) ? await call.guarded(called as Promise<ChatResult>) : (called as ChatResult);
    if (!input.request.stream) {
      const response = isStream(result) ? await gathered(call, batchesOf(result, call)) : result;
      call.done();
      return { kind: "response", response, ttftMs: performance.now() - started };
    }
    const iterator = batchesOf(isStream(result) ? result : wholeAsStream(result), call);
    let first: Step;
    do first = await call.guarded(iterator.next());
    while (!first.done && first.value.length === 0);
    const openedAt = performance.now();
    if (first.done || !opensOnly(first.value)) {
      call.firstArrived();
      return { kind: "stream", first, iterator, ttftMs: openedAt - started, call };
    }
    const held = await afterOpening(call, iterator, first.value, openingHoldMs(input));
    call.firstArrived();
    // The first token's time, when it came in the hold; else the opening's, until the relay hears the first token.
    const ttftMs = (held.pending ? openedAt : performance.now()) - started;
    return { kind: "stream", first: held.first, pending: held.pending, iterator, ttftMs, call };
  } catch (error) {
    throw failedCall(call, error, endpoint.provider, "chat");
  }
}

/**
 * One count of a request's input tokens at the vendor, under the endpoint's timeout and the
 * client's cancellation, as a chat attempt is. Throws a SwitchyardError as `attempt` does.
 */
export async function countAttempt(input: AttemptInput & { count: NonNullable<ProviderInstance["countTokens"]> }): Promise<number> {
  const call = new UpstreamCall(input.endpoint, input.client);
  try {
    const counted = await call.guarded(input.count.call(input.provider, input.request, call.signal));
    call.done();
    return counted;
  } catch (error) {
    throw failedCall(call, error, input.endpoint.provider, "countTokens");
  }
}

/** A call's failure as a gateway error, with the call stopped and aborted: its connection is released whatever the plugin did. */
function failedCall(call: UpstreamCall, error: unknown, provider: string, hook: string): SwitchyardError {
  call.done();
  const failure = asGatewayError(error, provider, call.signal, hook);
  call.abort(failure);
  return failure;
}

/**
 * One upstream call's abort: by the client going away, by its timeouts, or by the gateway. A class,
 * not closures over locals: every request makes one, and its timers and client link need no
 * function of their own (the timers get the call as an argument).
 *
 * `timeout` bounds an answer, and a stream's silence: a relayed stream that read from its vendor
 * since the timer was set gets another `timeout` when it fires, so a long answer still being
 * written is never cut, and one silent for a whole `timeout` (up to two) is. A count per read,
 * not a timer reset per token.
 */
class UpstreamCall implements StreamingCall {
  private readonly controller = new AbortController();
  /** The one pending wait: rejected when the call is aborted, so a plugin that ignores its signal cannot hold us. */
  private rejectWaiting: ((reason: SwitchyardError) => void) | null = null;
  private timer: ReturnType<typeof setTimeout>;
  private firstTimer: ReturnType<typeof setTimeout> | null = null;
  /** Reads the relay made, and their count when the timer was last set. */
  private reads = 0;
  private readsAtTimer = 0;

  constructor(
    readonly endpoint: EndpointSpec,
    private readonly client: Cancellation,
  ) {
    const timeoutMs = endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const firstMs = Math.min(endpoint.firstTokenTimeoutMs ?? timeoutMs, timeoutMs);
    this.timer = setTimeout(expire, timeoutMs, this, "timeout", timeoutMs);
    if (firstMs < timeoutMs) this.firstTimer = setTimeout(expire, firstMs, this, "first_token_timeout", firstMs);
    client.onAbort(this);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** `pending`, or its rejection with the abort's reason once the call is aborted (one wrapper promise, not a race). */
  guarded<T>(pending: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) {
      pending.catch(() => {});
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectWaiting = reject;
      pending.then(resolve, reject);
    });
  }

  abort(reason: SwitchyardError): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.rejectWaiting?.(reason);
  }

  /** The client's cancellation calls this when the client goes away. */
  clientAborted(): void {
    this.abort(this.client.reason ?? clientGone());
  }

  firstArrived(): void {
    if (this.firstTimer) clearTimeout(this.firstTimer);
  }

  heard(): void {
    this.reads++;
  }

  /** Whether the relay has read from the vendor: a timeout now means the stream went silent. */
  get relayed(): boolean {
    return this.reads > 0;
  }

  /** At the timeout: true, with the timer set again, when the stream has read since it was set. */
  stillSending(ms: number): boolean {
    if (this.reads === this.readsAtTimer) return false;
    this.readsAtTimer = this.reads;
    this.timer = setTimeout(expire, ms, this, "timeout", ms);
    return true;
  }

  /** Stops the timers and unlinks the client: the call has ended, or is about to be aborted. */
  done(): void {
    clearTimeout(this.timer);
    if (this.firstTimer) clearTimeout(this.firstTimer);
    this.client.off(this);
  }
}

function expire(call: UpstreamCall, setting: string, ms: number): void {
  if (setting === "timeout" && call.stillSending(ms)) return;
  call.abort(timedOut(call.endpoint, setting, ms, call.relayed));
}

/**
 * How long an opening is held for its first content. By default OPENING_HOLD_MS, or the keep-alive
 * silence if shorter: no longer than a client would wait to hear from the gateway. For an endpoint
 * with a `first_token_timeout`, with no deadline of its own, so that a vendor which opens at once
 * and stays silent (its model still thinking, or stuck) moves on to the next candidate as one that
 * sends nothing does. The call's first-token timer (or its `timeout`, when that is shorter) ends
 * the hold; a deadline here, due in the same millisecond as that timer, could fire first.
 */
function openingHoldMs(input: AttemptInput): number {
  if (input.endpoint.firstTokenTimeoutMs !== undefined) return Infinity;
  const keepaliveMs = input.keepaliveMs ?? 0;
  return keepaliveMs > 0 ? Math.min(OPENING_HOLD_MS, keepaliveMs) : OPENING_HOLD_MS;
}

/**
 * Whether a batch only opens the stream: its `start` and counts so far (Gemini counts the prompt
 * on its first frame), nothing a client is told. A stream that fails after such a batch fails
 * before the first byte, and the next candidate is tried.
 */
function opensOnly(events: readonly StreamEvent[]): boolean {
  for (const event of events) if (event.type !== "start" && event.type !== "usage") return false;
  return true;
}

const HOLD_OVER = Symbol("hold over");

/**
 * Reads on after a stream's opening until it says something, ends or fails, for at most `holdMs`:
 * the opening and what followed as the first batch, or, when the hold runs out, the opening and
 * the read under way.
 */
async function afterOpening(call: UpstreamCall, iterator: EventBatches, opening: StreamEvent[], holdMs: number): Promise<{ first: Step; pending?: Promise<Step> }> {
  const deadline = performance.now() + holdMs;
  let events = opening;
  while (true) {
    const read = iterator.next();
    const step = await call.guarded(within(read, deadline - performance.now()));
    if (step === HOLD_OVER) {
      // The relay takes it up; until then its failure must not go unhandled.
      read.catch(() => {});
      return { first: { done: false, value: events }, pending: read };
    }
    if (step.done) return { first: { done: true, value: step.value ? events.concat(step.value) : events } };
    events = events.concat(step.value);
    if (!opensOnly(step.value)) return { first: { done: false, value: events } };
  }
}

/** `read`, or HOLD_OVER if `ms` pass first (never, for Infinity). */
function within(read: Promise<Step>, ms: number): Promise<Step | typeof HOLD_OVER> {
  if (ms === Infinity) return read;
  if (ms <= 0) return Promise.resolve(HOLD_OVER);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms, HOLD_OVER);
    read.then(
      (step) => {
        clearTimeout(timer);
        resolve(step);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const isThenable = (value: unknown): boolean => typeof (value as PromiseLike<unknown> | null)?.then === "function";

/** A stream answered to a request asked for whole (a plugin that only streams), read to its end under the call's timeouts. */
async function gathered(call: UpstreamCall, iterator: EventBatches): Promise<ChatResponse> {
  const answer = new WholeAnswer();
  for (let step = await call.guarded(iterator.next()); ; step = await call.guarded(iterator.next())) {
    for (const event of step.value ?? []) answer.add(event);
    if (step.done) return answer.build();
  }
}

/** A stream's events in batches: its own when it offers them, else one event a batch. */
function batchesOf(stream: AsyncIterable<StreamEvent>, call: UpstreamCall): EventBatches {
  const own = (stream as Partial<BatchedEvents>)[EVENT_BATCHES];
  if (own) return own.call(stream);
  const events = stream[Symbol.asyncIterator]();
  return {
    async next() {
      // A plugin's own iterator (not the kit's SSE decoder, whose reads the signal ends) may not heed
      // its signal: each read is given up when the call is aborted (its timeout, the client, a shutdown).
      const step = await call.guarded(events.next());
      return step.done ? step : { done: false, value: [step.value] };
    },
    async return(value?: unknown) {
      await events.return?.(value);
      return { done: true, value: undefined };
    },
  };
}

/** A provider's failure as a gateway error: the abort's reason, its own, or one naming the plugin. */
export function asGatewayError(error: unknown, providerName: string, signal?: AbortSignal, hook = "chat"): SwitchyardError {
  if (signal?.aborted && isSwitchyardError(signal.reason)) return signal.reason;
  if (isSwitchyardError(error)) return error;
  // A request nested deeper than the encoder's stack (a tool's schema 20,000 levels deep) is the request's fault.
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return errors.badRequest(`the request is nested too deep to encode for provider "${providerName}": flatten its deepest schema or content`);
  }
  if (error instanceof TypeError || (error instanceof Error && /ECONN|socket|network|fetch failed/i.test(error.message))) {
    // fetch failures surface as TypeError: the vendor could not be reached.
    return errors.upstream(`provider "${providerName}" could not be reached: ${error.message}`, {
      cause: error,
      retryable: true,
      metadata: { provider: providerName },
    });
  }
  return errors.pluginFailed(providerName, hook, error, { retryable: true });
}

function timedOut(endpoint: EndpointSpec, setting: string, ms: number, silent = false): SwitchyardError {
  const what = silent ? `sent nothing for its ${setting} of ${ms} ms` : `exceeded its ${setting} of ${ms} ms`;
  return errors.timeout(`endpoint ${endpoint.id} ${what}`, {
    metadata: { endpoint: endpoint.id },
  });
}

const CLIENT_GONE = "client_disconnected";

export function clientGone(): SwitchyardError {
  return new SwitchyardError("client_closed", "the client closed the connection", {
    metadata: { reason: CLIENT_GONE },
  });
}

export function isClientGone(error: SwitchyardError): boolean {
  return error.metadata?.reason === CLIENT_GONE;
}
