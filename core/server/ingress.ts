// The chat endpoints of every dialect: decode the client's body into the canonical request, run
// the gateway pipeline, and encode its outcome back as JSON or SSE in the client's own format.

import type { Server } from "bun";
import type { ProviderPreferences } from "../dispatch/index.ts";
import { isSwitchyardError, type SwitchyardError } from "../errors.ts";
import type { ChatRequest, ChatResponse, StreamEvent, Usage } from "../kit/canonical.ts";
import type { Principal } from "../kit/plugin.ts";
import { clientGone } from "../gateway/attempt.ts";
import { Cancellation } from "../gateway/cancellation.ts";
import { authenticate, serveChat } from "../gateway/pipeline.ts";
import { rateCheck } from "../gateway/rate-limit.ts";
import { RowBuilder } from "../gateway/row.ts";
import { nanoToUsd } from "../money.ts";
import { MODEL_ID_MAX_LENGTH } from "../wire/model-id.ts";
import type { Runtime } from "../runtime/runtime.ts";
import type { Snapshot } from "../runtime/snapshot.ts";
import { clientKey, errorResponse, newRequestId, readJson, refusedBeforeBody, servedHeaders, toGatewayError } from "./http.ts";
import type { IdleTimeout } from "./idle.ts";
import type { Metrics } from "./metrics.ts";
import { sseBody, wholeSseText, withStreamHeaders, type StreamedRequest } from "./sse-body.ts";

export interface StreamEncoder {
  encode(event: StreamEvent): string;
  end(usage: Usage | undefined, costUsd?: number): string;
  error(error: SwitchyardError): string;
}

interface Decoded {
  request: ChatRequest;
  models?: string[];
  provider?: ProviderPreferences;
  includeUsage: boolean;
}

/** What differs between the OpenAI and the Anthropic endpoint. */
export interface Dialect {
  name: "openai" | "responses" | "anthropic";
  validate(body: unknown): void;
  /** `body` parsed from `text`, the body as it came (absent when there was no wire body), sent with `headers`. */
  decode(body: unknown, text?: string, headers?: Headers): Decoded;
  /** `request` is the client's, decoded: what an encoder needs to know of it (a Responses client's freeform tools). */
  encodeResponse(response: ChatResponse, info: { id: string; model: string; costUsd: number; request: ChatRequest }): unknown;
  streamEncoder(info: { id: string; model: string; created: number; includeUsage: boolean; request: ChatRequest }): StreamEncoder;
}

/** What every chat request is served with, made once per app. */
export interface ChatContext {
  runtime: Runtime;
  metrics: Metrics;
  idle: IdleTimeout;
}

/** `server` is the one the request came to (none when the app handles a request in process). */
export async function handleChat(dialect: Dialect, request: Request, context: ChatContext, server?: Server<unknown>): Promise<Response> {
  const { runtime, metrics, idle } = context;
  const arrivedAt = performance.now();
  const id = newRequestId();
  const caller = callerOf(runtime, request);
  const principal = caller instanceof Promise ? await caller : caller;
  if (isSwitchyardError(principal)) {
    metrics.refused(principal.status);
    return errorResponse(principal, refusedBeforeBody(servedHeaders(id, null, dialect.name), request), dialect.name);
  }
  const limited = rateCheck(runtime.limiter, principal);
  if (limited) {
    metrics.refused(limited.status);
    recordRefused(runtime, { id, arrivedAt, principal, body: undefined }, limited);
    return errorResponse(limited, refusedBeforeBody(servedHeaders(id, null, dialect.name), request), dialect.name);
  }
  let decoded: Decoded;
  let json: unknown;
  let bodyChars = 0;
  try {
    const body = await readJson(request, runtime.snapshot.graph.server.bodyLimit);
    json = body.json;
    bodyChars = body.text.length;
    dialect.validate(json);
    decoded = dialect.decode(json, body.text, request.headers);
  } catch (error) {
    const refused = toGatewayError(error);
    metrics.refused(refused.status);
    recordRefused(runtime, { id, arrivedAt, principal, body: json }, refused);
    return errorResponse(refused, servedHeaders(id, null, dialect.name), dialect.name);
  }
  idle.lift(server, request);
  const inFlight = new InFlight(request, runtime);
  let streaming = false;
  try {
    const outcome = await serveChat(inFlight.snapshot, runtime, {
      id,
      request: decoded.request,
      models: decoded.models,
      provider: decoded.provider,
      headers: request.headers,
      principal,
      cancel: inFlight.client,
      arrivedAt,
      bodyChars,
    });
    metrics.observe(outcome, performance.now() - arrivedAt);
    const headers = servedHeaders(id, outcome.served, dialect.name);
    const model = outcome.served.model ?? decoded.request.model;
    if (outcome.kind === "error") return errorResponse(outcome.error, headers, dialect.name);
    if (outcome.kind === "response") {
      const costUsd = nanoToUsd(outcome.metered.cost + outcome.metered.fee);
      return Response.json(dialect.encodeResponse(outcome.response, { id, model, costUsd, request: decoded.request }), { headers });
    }
    const stream = dialect.streamEncoder({ id, model, created: Math.floor(Date.now() / 1000), includeUsage: decoded.includeUsage, request: decoded.request });
    withStreamHeaders(headers);
    const whole = wholeSseText(outcome, stream);
    if (whole !== null) return new Response(whole, { headers });
    streaming = true;
    return new Response(sseBody(outcome, stream, inFlight), { headers });
  } catch (error) {
    // A bug of ours, after the vendor may have answered (and been charged): said in the log, not only to the client.
    if (!isSwitchyardError(error)) runtime.log.error("unhandled error answering a chat request", { id, error: (error as Error).message });
    return errorResponse(toGatewayError(error), servedHeaders(id, null, dialect.name), dialect.name);
  } finally {
    idle.restore(server, request);
    // A stream releases when its body ends.
    if (!streaming) inFlight.release();
  }
}

/**
 * The row of a caller's request refused for its body (a 400, a 413), which its error names: the
 * model it asked for where the body said one, and no route.
 */
function recordRefused(runtime: Runtime, refused: { id: string; arrivedAt: number; principal: Principal; body: unknown }, error: SwitchyardError): void {
  const fields = refused.body !== null && typeof refused.body === "object" ? (refused.body as { model?: unknown; stream?: unknown }) : {};
  const request = { model: typeof fields.model === "string" ? fields.model.slice(0, MODEL_ID_MAX_LENGTH) : "", stream: fields.stream === true };
  const row = new RowBuilder({ id: refused.id, request, arrivedAt: refused.arrivedAt }, runtime.ledger);
  row.keyId = refused.principal.keyId;
  row.failed(error);
}

/**
 * Who is calling, or the 401 that says why not, before the body is read: a stranger's body, up to
 * the body limit, is neither read nor parsed, and is not told what is wrong with it. A caller has
 * no ledger row: unauthenticated calls are nobody's usage, and would let anyone fill the table. A
 * caller's request has one from here on, refused for its body or served.
 */
export function callerOf(runtime: Runtime, request: Request): Principal | SwitchyardError | Promise<Principal | SwitchyardError> {
  return authenticate(runtime.snapshot, { headers: request.headers, key: clientKey(request.headers) });
}

/**
 * A request past its body: the snapshot it holds and its client's cancellation, which the one
 * AbortSignal listener of the request (this object, as the listener) aborts when the client goes
 * away; everything downstream uses the cheap Cancellation. An object rather than closures, as
 * every request makes one.
 */
export class InFlight implements StreamedRequest {
  readonly snapshot: Snapshot;
  readonly client = new Cancellation();

  constructor(
    request: Request,
    private readonly runtime: Runtime,
  ) {
    this.snapshot = runtime.acquire(this.client);
    // Never removed: a server aborts a request's signal only while its response is pending.
    request.signal.addEventListener("abort", this);
  }

  handleEvent(): void {
    this.client.abort(clientGone());
  }

  get keepaliveMs(): number {
    return this.snapshot.graph.server.keepaliveMs;
  }

  /** The request is over (a stream's body has ended): the snapshot may retire. */
  release(): void {
    this.runtime.release(this.snapshot, this.client);
  }
}
