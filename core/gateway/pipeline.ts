// The request path after ingress: auth, classifiers, dispatch, credit hold, candidates, metering
// and the ledger row. Works on canonical types only; the HTTP layer turns outcomes into bytes.

import type { EndpointSpec } from "../config/graph.ts";
import type { DispatchRequest, DispatchResult, ProviderPreferences } from "../dispatch/index.ts";
import { createRequestFacts, estimateInputTokens, mostInputTokens } from "../dispatch/facts.ts";
import { errors, isSwitchyardError, SwitchyardError } from "../errors.ts";
import type { ChatRequest, ChatResponse, StreamEvent, Usage } from "../kit/canonical.ts";
import type { KitLogger } from "../kit/kit.ts";
import type { AuthRequest, ClassifierValue, Principal } from "../kit/plugin.ts";
import type { AttemptRecord, Ledger, Reservation } from "../ledger/types.ts";
import type { Snapshot } from "../runtime/snapshot.ts";
import type { StatsRegistry } from "../stats/index.ts";
import type { Cancellation } from "./cancellation.ts";
import { runCandidates } from "./fallback.ts";
import { nanoToUsd, usageCost } from "../money.ts";
import { estimateUsage, heldOutput, maximumCharge, meter, type Metered } from "./meter.ts";
import { RowBuilder } from "./row.ts";
import { relayStream } from "./stream.ts";

export interface GatewayDeps {
  stats: StatsRegistry;
  ledger: Ledger;
  log: KitLogger;
}

export interface IncomingChat {
  id: string;
  /** `request.model` is the public model the client named. */
  request: ChatRequest;
  models?: string[];
  provider?: ProviderPreferences;
  headers: Headers;
  /** The caller, authenticated by the ingress before it read the body (`callerOf`). */
  principal: Principal;
  /** Aborted when the client goes away. */
  cancel: Cancellation;
  /** performance.now() when the request arrived. */
  arrivedAt: number;
  /** The client's body in characters, where the ingress read one: every character the model reads is in it. */
  bodyChars?: number;
}

export interface Served {
  route: string | null;
  model: string | null;
  provider: string | null;
  attempts: AttemptRecord[];
  /** Time spent in the gateway itself, excluding upstream time. */
  overheadMs: number;
}

/** What the stream relay knows once the stream has ended: for the final usage chunk. */
export interface Settlement {
  usage: Usage;
  costUsd: number;
}

export type ChatOutcome =
  | { kind: "response"; response: ChatResponse; served: Served; metered: Metered }
  /**
   * `events` in batches, as they arrived from the vendor. `whole()` gives every event at once when
   * the vendor's stream ended within its first read (a short answer from a fast vendor): the
   * relay ends then and there, and `events` has nothing more.
   */
  | { kind: "stream"; served: Served; events: AsyncIterable<StreamEvent[]>; whole(): StreamEvent[] | null; settlement(): Settlement | null }
  | { kind: "error"; error: SwitchyardError; served: Served };

export async function serveChat(snapshot: Snapshot, deps: GatewayDeps, input: IncomingChat): Promise<ChatOutcome> {
  const served: Served = { route: null, model: null, provider: null, attempts: [], overheadMs: 0 };
  const row = new RowBuilder(input, deps.ledger);
  const fail = (error: SwitchyardError): ChatOutcome => {
    served.overheadMs = performance.now() - input.arrivedAt;
    return { kind: "error", error, served };
  };

  const principal = input.principal;
  row.keyId = principal.keyId;
  // A key with no credit left is refused before routing, whose classifiers may call a model.
  if (principal.keyId !== null && principal.creditLimit !== null) {
    const spentOut = await creditSpent(deps.ledger, principal.keyId, principal.name);
    if (spentOut) return fail(row.failed(spentOut));
  }
  // Estimated only when something needs it: `cheapest`, a credit hold, or a vendor without usage.
  let estimated: number | undefined;
  const inputTokens = () => (estimated ??= estimateInputTokens(input.request));

  const routed = route(snapshot, deps, input, principal, inputTokens);
  const dispatched = routed instanceof Promise ? await routed : routed;
  if (!dispatched.ok) {
    // A route that matched and could not serve is named, as for any failure it answers.
    if (dispatched.route) served.route = row.route = dispatched.route.name;
    return fail(row.failed(dispatched.error));
  }
  served.route = row.route = dispatched.route.name;
  const candidates = fittingContext(dispatched.candidates, input, inputTokens);
  if (isSwitchyardError(candidates)) return fail(row.failed(candidates));
  const fee = snapshot.fee;
  let request = input.request;
  if (principal.keyId !== null && principal.creditLimit !== null) {
    const maximum = maximumCharge(candidates, request, mostInputTokens(request), fee, principal);
    const held = await holdCredit(deps.ledger, principal as Principal & { keyId: string }, maximum, request.maxTokens === undefined);
    if (isSwitchyardError(held)) return fail(row.failed(held));
    row.reservation = held;
    // Uncapped, a vendor might write more than was held (its own maximum, a provider's larger default): capped at the hold.
    if (request.maxTokens === undefined) request = { ...request, maxTokens: heldOutput(request) };
  }

  const result = await runCandidates({ snapshot, stats: deps.stats, candidates, request, client: input.cancel });
  served.attempts = row.attempts = result.attempts;
  served.overheadMs = performance.now() - input.arrivedAt - result.upstreamMs;
  // The endpoint last tried, which answered or refused: a failure's headers name it too.
  if (result.endpoint) {
    row.endpoint = result.endpoint;
    served.model = result.endpoint.publicModel;
    served.provider = result.endpoint.provider;
  }
  if (!result.ok) return { kind: "error", error: row.failed(result.error), served };

  if (result.success.kind === "response") {
    const response = result.success.response;
    const usage = response.usage ?? estimateUsage(inputTokens(), response.text.length + (response.reasoning?.length ?? 0) + (response.refusal?.length ?? 0));
    const metered = safeMeter(usage, result.endpoint, fee, principal, deps.log);
    row.succeeded(metered, result.success.ttftMs);
    // The counts the client reads are the ones metered: a vendor's −5 or 2.5 tokens as charged, 0 and 3.
    return { kind: "response", response: { ...response, usage: metered.usage }, served, metered };
  }
  return relayStream({
    success: result.success,
    endpoint: result.endpoint,
    served,
    row,
    inputTokens,
    stats: deps.stats,
    meter: (usage: Usage, endpoint: EndpointSpec) => safeMeter(usage, endpoint, fee, principal, deps.log),
    startedAt: result.startedAt,
    redact: snapshot.redact,
  });
}

/**
 * Who is calling, or the 401/403 that says why not. A plugin that answers at once is answered at
 * once: the hot path awaits only what is pending (each await is a tick and an allocation).
 */
export function authenticate(snapshot: Snapshot, request: AuthRequest): Principal | SwitchyardError | Promise<Principal | SwitchyardError> {
  try {
    const answer = snapshot.auth.authenticate(request);
    if (!isPending(answer)) return answer;
    return Promise.resolve(answer).catch((error: unknown) => errors.fromPlugin(snapshot.authName, "authenticate", error));
  } catch (error) {
    return errors.fromPlugin(snapshot.authName, "authenticate", error);
  }
}

/** A plugin's answer that has yet to come: any thenable, not only a native promise. */
function isPending<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === "function";
}

/**
 * The route and ordered candidates for this request. A classifier runs only when a rule reads it
 * (a route matched before it, or an `and` decided without it, never runs it). Dispatch is
 * synchronous: a classifier that answers with a promise stops it, and it runs again once the
 * value is in, with the values read so far remembered. Without such a classifier the result
 * comes at once.
 */
export function route(
  snapshot: Snapshot,
  deps: Pick<GatewayDeps, "stats">,
  input: Pick<IncomingChat, "request" | "models" | "provider" | "headers" | "cancel">,
  principal: Principal,
  inputTokens: () => number,
): DispatchResult | Promise<DispatchResult> {
  const model = input.request.model;
  // Values that arrived as promises; facts remember every value once read, so a sync one needs no slot here.
  let awaited: Map<string, ClassifierValue> | undefined;
  const classify = (name: string): ClassifierValue | undefined => {
    // `has`, not a value check: a plugin's promise may resolve to undefined, and must not run again.
    if (awaited?.has(name)) return awaited.get(name);
    const classifier = snapshot.classifiers.get(name);
    if (!classifier) return undefined;
    let value: ClassifierValue | PromiseLike<ClassifierValue>;
    try {
      value = classifier.classify(input.request, classifier.classify.length === 1 ? NEVER_ABORTED : input.cancel.signal);
    } catch (error) {
      throw errors.fromPlugin(name, "classify", error);
    }
    // A value is a string, number or boolean; anything else is a promise of one.
    if (typeof value === "object" && value !== null) throw new PendingClassifier(name, Promise.resolve(value));
    return value;
  };
  const facts = createRequestFacts({ request: input.request, model, principal, headers: input.headers, classify, inputTokens });
  const request = { model, models: input.models, provider: input.provider, facts, maxTokens: input.request.maxTokens };
  const first = dispatchOnce(snapshot, request, deps.stats);
  if (!(first instanceof PendingClassifier)) return first;
  return (async () => {
    for (let pending = first; ; ) {
      try {
        (awaited ??= new Map()).set(pending.name, await pending.value);
      } catch (cause) {
        return { ok: false, error: errors.fromPlugin(pending.name, "classify", cause), trace: null };
      }
      const next = dispatchOnce(snapshot, request, deps.stats);
      if (!(next instanceof PendingClassifier)) return next;
      pending = next;
    }
  })();
}

/** One pass of dispatch: its result, or the classifier it stopped at to wait for. */
function dispatchOnce(snapshot: Snapshot, request: DispatchRequest, stats: StatsRegistry): DispatchResult | PendingClassifier {
  try {
    return snapshot.table.dispatch(request, { stats });
  } catch (error) {
    if (isSwitchyardError(error)) return { ok: false, error, trace: null };
    if (error instanceof PendingClassifier) return error;
    throw error;
  }
}

/**
 * For a classify(request) that declares no signal parameter, so cannot read one: an AbortSignal
 * is a native object, and making one per request cost about 5% of a small chat's CPU.
 */
const NEVER_ABORTED = new AbortController().signal;

/** Thrown through dispatch when a rule reads a classifier whose value is still pending. */
class PendingClassifier {
  constructor(
    readonly name: string,
    readonly value: Promise<ClassifierValue>,
  ) {}
}

/** Room the estimate of a prompt's tokens from its body's length leaves for what a body does not spell out (images, pages). */
const BODY_SLACK_TOKENS = 2000;

/**
 * The candidates whose configured `context` holds the prompt (by its estimate), or the 400 that
 * none does: a prompt sent where it cannot fit is refused by the vendor after a round trip. The
 * estimate is made only when the body's length does not already show that it fits every one
 * (a character is at most 1.25 tokens of the estimate): most requests are far from any context.
 */
function fittingContext(candidates: readonly EndpointSpec[], input: IncomingChat, inputTokens: () => number): EndpointSpec[] | SwitchyardError {
  let smallest = Infinity;
  for (const endpoint of candidates) if (endpoint.context !== undefined && endpoint.context < smallest) smallest = endpoint.context;
  if (smallest === Infinity) return candidates as EndpointSpec[];
  if (input.bodyChars !== undefined && input.bodyChars * 1.25 + BODY_SLACK_TOKENS <= smallest) return candidates as EndpointSpec[];
  const tokens = inputTokens();
  const fitting = candidates.filter((endpoint) => endpoint.context === undefined || tokens <= endpoint.context);
  if (fitting.length > 0) return fitting;
  const largest = Math.max(...candidates.map((endpoint) => endpoint.context ?? 0));
  return new SwitchyardError("context_length_exceeded", `the prompt, about ${tokens} tokens, is longer than every candidate's context (the largest holds ${largest}); shorten it, or route to a model with a larger context`);
}

/**
 * A credit-limited key holds the request's maximum cost before any upstream call; a 402 says what
 * the key has left and what the request would hold.
 */
async function holdCredit(ledger: Ledger, principal: Principal & { keyId: string }, maximum: number, uncapped: boolean): Promise<Reservation | SwitchyardError> {
  const keyId = principal.keyId;
  const reservation = await ledger.reserve(keyId, maximum);
  if (reservation) return reservation;
  let key = await ledger.keys.get(keyId);
  if (!key) {
    // A key an auth plugin names and the store has no row for: its balance starts here.
    await ledger.keys.adopt(principal);
    const adopted = await ledger.reserve(keyId, maximum);
    if (adopted) return adopted;
    key = await ledger.keys.get(keyId);
  }
  const left = key?.creditLimit == null ? 0 : Math.max(0, key.creditLimit - key.spent - key.reserved);
  const lower = uncapped ? "; with no max_tokens the model's whole default output is held: set max_tokens to hold less" : "; lower max_tokens to hold less";
  return errors.insufficientCredit(
    `key "${principal.name}" has $${usd(left)} of credit left, and this request may cost up to $${usd(maximum)}, which is held until it is charged${lower}`,
  );
}

/** A 402 for a key whose credit is all spent or held (a key the store has no row for yet has all of it). */
async function creditSpent(ledger: Ledger, keyId: string, name: string): Promise<SwitchyardError | null> {
  const key = await ledger.keys.get(keyId);
  if (!key || key.creditLimit === null || key.spent + key.reserved < key.creditLimit) return null;
  return errors.insufficientCredit(`key "${name}" has no credit left: its limit of $${usd(key.creditLimit)} is spent or held by requests in flight`);
}

/** Nano-USD as dollars, to the sixth decimal (a millionth of a dollar), as a person reads them. */
function usd(nano: number): string {
  return nanoToUsd(nano).toFixed(6);
}

/** A fee plugin that fails must not lose the row: the cost is still recorded, the fee as zero. */
function safeMeter(usage: Usage, endpoint: EndpointSpec, fee: Parameters<typeof meter>[2], principal: Principal, log: KitLogger): Metered {
  try {
    return meter(usage, endpoint, fee, principal);
  } catch (error) {
    log.error("fee plugin failed; fee recorded as 0", { plugin: fee.name, error: (error as Error).message });
    return { usage, cost: usageCost(usage, endpoint.price), fee: 0 };
  }
}
