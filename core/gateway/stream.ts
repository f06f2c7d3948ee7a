// Relays a committed upstream stream to the client: observes usage and text as they pass, and when
// the stream ends (completed, broken, or abandoned by the client) meters it and writes its row.

import type { EndpointSpec } from "../config/graph.ts";
import { SwitchyardError } from "../errors.ts";
import type { StreamEvent, Usage } from "../kit/canonical.ts";
import { nanoToUsd } from "../money.ts";
import type { AttemptRecord } from "../ledger/types.ts";
import type { StatsRegistry } from "../stats/index.ts";
import { asGatewayError, clientGone, isClientGone, type AttemptSuccess, type Step } from "./attempt.ts";
import { redactedError } from "./fallback.ts";
import { estimateUsage, stoppedUsage, type Metered } from "./meter.ts";
import type { ChatOutcome, Served, Settlement } from "./pipeline.ts";
import type { RowBuilder } from "./row.ts";

export interface RelayInput {
  success: Extract<AttemptSuccess, { kind: "stream" }>;
  endpoint: EndpointSpec;
  served: Served;
  row: RowBuilder;
  inputTokens: () => number;
  stats: StatsRegistry;
  meter(usage: Usage, endpoint: EndpointSpec): Metered;
  startedAt: number;
  /** The config's secrets out of a failure the client is sent. */
  redact(text: string): string;
}

/** The relay is the stream outcome itself: one object a stream, no closures around it. */
export function relayStream(input: RelayInput): Extract<ChatOutcome, { kind: "stream" }> {
  return new Relay(input);
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The relay as a plain iterator, not an async generator: a vendor's read reaches the client's
 * write through one promise here instead of a generator's queue and a wrapper's, and a real
 * stream has one read per token. Ends once, whichever way: completed, broken, or returned early
 * by a client that went away (which aborts the upstream call at once, even mid-read).
 */
class Relay implements AsyncIterableIterator<StreamEvent[]>, Extract<ChatOutcome, { kind: "stream" }> {
  readonly kind = "stream";
  readonly served: Served;
  private settled: Settlement | null = null;
  private usage: Usage | undefined;
  /** The prompt's counts the vendor gave as it opened: what a stream stopped short is metered by. */
  private opening: Usage | undefined;
  private outputChars = 0;
  /** The attempt's first batch, read before the stream was committed to. */
  private first: Step | null;
  /** The attempt's read still under way when it committed (its opening's hold ran out). */
  private pending: Promise<Step> | null;
  private ended = false;
  /** The first token's time: the attempt's, or, for a stream committed on its opening alone, set when that token comes. */
  private ttftMs: number;
  private awaitingFirstToken: boolean;
  /**
   * `take` and `fail` as the reads' callbacks: made once a stream, not twice a read (a read a
   * token), and only by a stream that reads past its first batch.
   */
  private taken: ((step: Step) => IteratorResult<StreamEvent[]> | Promise<IteratorResult<StreamEvent[]>>) | null = null;
  private failed: ((error: unknown) => IteratorResult<StreamEvent[]>) | null = null;

  constructor(private readonly input: RelayInput) {
    this.first = input.success.first;
    this.pending = input.success.pending ?? null;
    this.served = input.served;
    this.ttftMs = input.success.ttftMs;
    this.awaitingFirstToken = this.pending !== null;
  }

  /** The outcome's events: the relay itself. */
  get events(): this {
    return this;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** What the stream came to once it has ended: the usage and cost for the closing frames. */
  settlement(): Settlement | null {
    return this.settled;
  }

  next(): Promise<IteratorResult<StreamEvent[]>> {
    if (this.ended) return Promise.resolve(DONE);
    const first = this.first;
    if (first) {
      this.first = null;
      return Promise.resolve(this.take(first));
    }
    this.taken ??= (step) => this.take(step);
    this.failed ??= (error) => this.fail(error);
    const pending = this.pending;
    this.pending = null;
    return (pending ?? this.input.success.iterator.next()).then(this.taken, this.failed);
  }

  /** Every event, when the attempt's first read ended the stream: the relay ends now. Null if more is to come. */
  whole(): StreamEvent[] | null {
    const first = this.first;
    if (!first?.done || this.ended) return null;
    this.first = null;
    this.take(first);
    return first.value ?? [];
  }

  /** The client is gone (or the body stopped reading): release the upstream call, meter what came. */
  return(): Promise<IteratorResult<StreamEvent[]>> {
    this.end(null, false);
    return Promise.resolve(DONE);
  }

  private take(step: Step): IteratorResult<StreamEvent[]> | Promise<IteratorResult<StreamEvent[]>> {
    // Returned while this read was pending: the relay has ended already.
    if (this.ended) return DONE;
    this.input.success.call.heard();
    const events = step.value ?? [];
    for (const event of events) {
      if (event.type === "usage") this.usage = event.usage;
      else if (event.type === "start") this.opening = event.usage;
      else if (event.type === "text" || event.type === "reasoning" || event.type === "refusal") this.outputChars += event.text.length;
      else if (event.type === "tool_call_delta") this.outputChars += event.arguments.length;
    }
    if (this.awaitingFirstToken && step !== this.input.success.first) this.firstToken(events);
    if (step.done) {
      // Ended (and settled) before the last batch is handed on: the body sends it with the closing frames.
      this.end(null, true);
      return events.length ? { done: false, value: events } : DONE;
    }
    return events.length ? step : this.next();
  }

  /** The stream's first token, if these events hold it: the endpoint's time to first token is measured to it, not to the opening. */
  private firstToken(events: StreamEvent[]): void {
    for (const event of events) {
      if (event.type === "start") continue;
      this.awaitingFirstToken = false;
      this.ttftMs = performance.now() - this.input.startedAt;
      return;
    }
  }

  private fail(error: unknown): IteratorResult<StreamEvent[]> {
    if (this.ended) return DONE;
    const failure = asGatewayError(error, this.input.endpoint.provider);
    this.end(failure, false);
    throw redactedError(midStream(failure, this.input.endpoint), this.input.redact);
  }

  private end(failure: SwitchyardError | null, completed: boolean): void {
    if (this.ended) return;
    this.ended = true;
    const { success, endpoint, stats, row } = this.input;
    success.call.done();
    // Why a stream stopped short (the client went away, or the upstream broke): one error for the
    // upstream call's abort and for the row.
    const reason = completed ? null : (failure ?? clientGone());
    if (reason) {
      success.call.abort(reason);
      void success.iterator.return?.().catch(() => {});
    }
    const elapsed = performance.now() - this.input.startedAt;
    if (completed) stats.end(endpoint.id, { ok: true, latencyMs: elapsed, ttftMs: this.ttftMs });
    else if (failure && !isClientGone(failure)) {
      brokeOff(row.attempts.at(-1), failure, elapsed);
      stats.end(endpoint.id, { ok: false, latencyMs: elapsed, ttftMs: this.ttftMs, timedOut: failure.code === "timeout" });
    } else stats.cancel(endpoint.id);
    const known = this.usage ?? this.opening;
    const final = known ? (completed && this.usage ? this.usage : stoppedUsage(known, this.outputChars)) : estimateUsage(this.input.inputTokens(), this.outputChars);
    const metered = this.input.meter(final, endpoint);
    this.settled = { usage: metered.usage, costUsd: nanoToUsd(metered.cost + metered.fee) };
    if (reason) row.failed(reason, metered, this.ttftMs);
    else row.succeeded(metered, this.ttftMs);
  }
}

/**
 * The attempt whose stream broke after it began: its record says so, not the 200 it opened with
 * (the vendor's words stay out of it: no redactor is at hand here, and the row's error has them).
 */
function brokeOff(attempt: AttemptRecord | undefined, failure: SwitchyardError, elapsedMs: number): void {
  if (!attempt) return;
  attempt.status = failure.upstreamStatus ?? failure.status;
  attempt.error = `${failure.code}: the stream broke after it began`;
  attempt.duration_ms = Math.round(elapsedMs);
}

function midStream(error: SwitchyardError, endpoint: EndpointSpec): SwitchyardError {
  if (isClientGone(error)) return error;
  return new SwitchyardError(error.code === "timeout" ? "timeout" : "upstream_error", `upstream stream broke: ${error.message}`, {
    cause: error,
    // The vendor's status goes with it: Anthropic's overloaded stream is still overloaded_error to an Anthropic client.
    ...(error.upstreamStatus !== undefined ? { upstreamStatus: error.upstreamStatus } : {}),
    metadata: { endpoint: endpoint.id, ...(error.metadata ? { upstream: error.metadata } : {}) },
  });
}
