// Live statistics per endpoint: sliding-window percentiles and error rate, in-flight count,
// retry-after penalties and a circuit breaker. Fed by every upstream call, read by dispatch.

import { SlidingWindow, type WindowSummary } from "./window.ts";

export type CircuitState = "closed" | "open" | "half-open";

export interface EndpointStats extends WindowSummary {
  inflight: number;
  circuit: CircuitState;
  /** Set while a vendor's retry-after holds the endpoint back (epoch ms). */
  retryAfterUntil?: number;
}

export interface StatsOptions {
  /** Length of the sliding window; default 60 s. */
  windowMs?: number;
  /** Consecutive failures that open the circuit; default 5. */
  failureThreshold?: number;
  /** How long an open circuit waits before letting one probe through; default 30 s. */
  cooldownMs?: number;
  now?: () => number;
}

export interface Outcome {
  ok: boolean;
  latencyMs: number;
  ttftMs?: number;
  /** A failure by timeout: timed (its answer took at least this long), where other failures are not. */
  timedOut?: boolean;
}

class EndpointState {
  readonly window: SlidingWindow;
  inflight = 0;
  consecutiveFailures = 0;
  circuit: CircuitState = "closed";
  openedAt = 0;
  probeInflight = false;
  retryAfterUntil = 0;
  /** Last snapshot, reused until a new outcome or a slot expiry changes the figures. */
  cached: EndpointStats | null = null;

  constructor(windowMs: number) {
    this.window = new SlidingWindow(windowMs);
  }
}

export class StatsRegistry {
  private readonly states = new Map<string, EndpointState>();
  private readonly windowMs: number;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(options: StatsOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 5);
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Counts a call as in flight. Returns false when the breaker refuses it (a half-open circuit
   * whose one probe is already out); call `available()` and `begin()` together, in the same tick.
   */
  begin(endpointId: string): boolean {
    const state = this.state(endpointId);
    this.refreshCircuit(state);
    if (state.circuit === "open") return false;
    if (state.circuit === "half-open") {
      if (state.probeInflight) return false;
      state.probeInflight = true;
    }
    state.inflight++;
    state.cached = null;
    return true;
  }

  end(endpointId: string, outcome: Outcome): void {
    const state = this.state(endpointId);
    const now = this.now();
    if (state.inflight > 0) state.inflight--;
    state.window.record(now, outcome.ok, outcome.latencyMs, outcome.ttftMs, outcome.timedOut === true);
    state.cached = null;
    this.refreshCircuit(state);
    if (state.circuit === "half-open" && state.probeInflight) {
      state.probeInflight = false;
      this.closeOrOpen(state, outcome.ok, now);
      return;
    }
    if (state.circuit !== "closed") return; // late answers of calls begun before the circuit opened
    if (outcome.ok) {
      state.consecutiveFailures = 0;
      return;
    }
    if (++state.consecutiveFailures >= this.failureThreshold) this.closeOrOpen(state, false, now);
  }

  /**
   * Ends a call that says nothing about the endpoint (the client went away): no sample, and a
   * half-open probe is handed back so the next request can probe instead.
   */
  cancel(endpointId: string): void {
    const state = this.state(endpointId);
    if (state.inflight > 0) state.inflight--;
    state.probeInflight = false;
    state.cached = null;
  }

  /** Honours a vendor's retry-after: the endpoint is not available until `untilMs` (epoch ms). */
  penalize(endpointId: string, untilMs: number): void {
    const state = this.state(endpointId);
    if (untilMs > state.retryAfterUntil) state.retryAfterUntil = untilMs;
    state.cached = null;
  }

  available(endpointId: string): boolean {
    const state = this.states.get(endpointId);
    if (state === undefined) return true;
    if (state.retryAfterUntil > 0 && this.now() < state.retryAfterUntil) return false;
    this.refreshCircuit(state);
    if (state.circuit === "open") return false;
    return state.circuit === "closed" || !state.probeInflight;
  }

  /**
   * How long until the first of these endpoints that sit out a retry-after or an open circuit's
   * cooldown may be tried again, in ms; undefined when none does. A client's `retry-after`.
   */
  soonestBack(endpointIds: Iterable<string>): number | undefined {
    const now = this.now();
    let soonest: number | undefined;
    for (const id of endpointIds) {
      const state = this.states.get(id);
      if (state === undefined) continue;
      const penalty = state.retryAfterUntil - now;
      const cooling = state.circuit === "open" ? this.cooldownMs - (now - state.openedAt) : 0;
      const wait = Math.max(penalty, cooling);
      if (wait > 0 && (soonest === undefined || wait < soonest)) soonest = wait;
    }
    return soonest;
  }

  snapshot(endpointId: string): EndpointStats {
    const state = this.states.get(endpointId);
    if (state === undefined) return { samples: 0, inflight: 0, circuit: "closed" };
    const now = this.now();
    if (state.window.advance(now)) state.cached = null;
    if (state.circuit === "open" && this.refreshCircuit(state)) state.cached = null;
    if (state.retryAfterUntil > 0 && now >= state.retryAfterUntil) {
      state.retryAfterUntil = 0;
      state.cached = null;
    }
    if (state.cached !== null) return state.cached;
    const stats: EndpointStats = { ...state.window.summary(), inflight: state.inflight, circuit: state.circuit };
    if (state.retryAfterUntil > 0) stats.retryAfterUntil = state.retryAfterUntil;
    state.cached = stats;
    return stats;
  }

  private state(endpointId: string): EndpointState {
    let state = this.states.get(endpointId);
    if (state === undefined) {
      state = new EndpointState(this.windowMs);
      this.states.set(endpointId, state);
    }
    return state;
  }

  /** Open → half-open once the cooldown has passed; true when the state changed. */
  private refreshCircuit(state: EndpointState): boolean {
    if (state.circuit !== "open" || this.now() - state.openedAt < this.cooldownMs) return false;
    state.circuit = "half-open";
    state.probeInflight = false;
    state.cached = null;
    return true;
  }

  private closeOrOpen(state: EndpointState, close: boolean, now: number): void {
    state.consecutiveFailures = 0;
    state.circuit = close ? "closed" : "open";
    if (!close) state.openedAt = now;
    state.cached = null;
  }
}
