// The floor for a gateway that does every duty of the bench config with the gateway's own code, and
// nothing between the duties: the lean gateway (lean-gateway.ts) plus, through the same modules the
// gateway runs, the key checked by the auth plugin, the body validated and decoded to the canonical
// request, the classifier and the 200 routes' dispatch, the request encoded for the vendor by its
// provider plugin (which forwards the client's own text with the model swapped), the endpoint's
// live stats, the cost and the percentage fee metered, and the answer encoded in the client's
// dialect. What it leaves out is the gateway's plumbing: the snapshot held through a reload,
// fallbacks and their attempt records, the pipeline's outcome objects, the metrics and the
// streamed body's machinery (the bench's answers arrive in one read, so a stream here is sent as
// one text, as the gateway sends such a stream). What the gateway spends beyond this floor is its
// plumbing; what this floor spends beyond the lean one is the duties themselves.
// Run as `bun bench/duties-gateway.ts <config>` (the gateway's, its ledger and keys included); prints
// `listening <port>`. With DUTIES_WITHOUT=route,provider in its environment, it leaves those duties
// out (see DUTIES; bench/floor.ts --without): what each costs under load.

import { useServerEnvironment } from "../core/cli/server-environment.ts";
import { isSwitchyardError } from "../core/errors.ts";
import { estimateInputTokens } from "../core/dispatch/facts.ts";
import { Cancellation } from "../core/gateway/cancellation.ts";
import { forEndpoint } from "../core/gateway/fallback.ts";
import { meter } from "../core/gateway/meter.ts";
import { authenticate, route } from "../core/gateway/pipeline.ts";
import { CLIENT_BODY, EVENT_BATCHES, isStream, type BatchedEvents, type ChatRequest, type ChatResponse, type ChatResult, type StreamEvent, type Usage } from "../core/kit/canonical.ts";
import { copyingFetch, readBody } from "../core/kit/http.ts";
import { createKit } from "../core/kit/kit.ts";
import type { Principal, ProviderInstance } from "../core/kit/plugin.ts";
import { nanoToUsd } from "../core/money.ts";
import { Runtime } from "../core/runtime/runtime.ts";
import { openaiDialect } from "../core/server/dialects.ts";
import { clientKey, newRequestId, readJson, servedHeaders } from "../core/server/http.ts";
import { framesOf, withClosingFrames, withStreamHeaders } from "../core/server/sse-body.ts";
import { decodeResponse, decodeStreamBody, encodeRequest } from "../core/wire/openai/index.ts";
import { builtinPlugins } from "../plugins/builtin.ts";
import { BENCH_MODEL } from "./gateway-config.ts";
import { reencoded, usageOf, watchedCall, type VendorAnswer } from "./lean-gateway.ts";

/** The client's cancellation as routing sees it: read only by a classifier that takes a signal, and never aborted here. */
const NEVER_CANCELLED = new Cancellation();

type Answer =
  | { kind: "response"; response: ChatResponse; usage?: Usage }
  | { kind: "stream"; events: StreamEvent[]; usage?: Usage }
  /** The vendor's answer as the lean floor takes it: a stream's text, a JSON answer parsed. */
  | { kind: "raw"; text?: string; answer?: VendorAnswer; usage?: Usage };

/** The provider plugin's call, a stream's batches read to its end (the bench's arrive in one read). */
async function providerCall(provider: ProviderInstance, request: ChatRequest, signal: AbortSignal): Promise<Answer> {
  return collected(await provider.chat(request, signal));
}

const ENCODE_OPTIONS = { includeUsage: true, maxTokensField: "max_tokens" } as const;

/** The bench model's vendor, as an `openai-compatible` provider's settings name it. */
interface Vendor {
  url: string;
  key: string;
}

/** What the provider sends its vendor beside the body. */
function vendorHeaders(vendor: Vendor, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${vendor.key}` };
  if (stream) headers.accept = "text/event-stream";
  return headers;
}

/**
 * The provider's steps written out, without one of them: `forward` sends the client's text as it
 * came after encoding the request (no check, no model swapped), `encode` sends it without encoding.
 */
async function partsCall(vendor: Vendor, request: ChatRequest, signal: AbortSignal, skip: "forward" | "encode"): Promise<Answer> {
  if (skip === "forward") encodeRequest(request, ENCODE_OPTIONS);
  const response = await copyingFetch(vendor.url, { method: "POST", headers: vendorHeaders(vendor, request.stream), body: request[CLIENT_BODY]!.text, signal });
  return collected(request.stream ? decodeStreamBody(response.body!) : decodeResponse(await readBody(response)));
}

async function collected(result: ChatResult): Promise<Answer> {
  if (!isStream(result)) return { kind: "response", response: result, usage: result.usage };
  const events: StreamEvent[] = [];
  const batches = (result as unknown as BatchedEvents)[EVENT_BATCHES]();
  for (let step = await batches.next(); ; step = await batches.next()) {
    if (step.value) events.push(...step.value);
    if (step.done) break;
  }
  let usage: Usage | undefined;
  for (const event of events) if (event.type === "usage") usage = event.usage;
  return { kind: "stream", events, usage };
}

/** Without the provider: the client's text sent as it came, the answer's usage read as the lean floor reads it. */
async function rawCall(vendor: Vendor, body: string, stream: boolean, signal: AbortSignal): Promise<Answer> {
  const response = await fetch(vendor.url, { method: "POST", headers: vendorHeaders(vendor, stream), body, signal });
  const text = await response.text();
  if (stream) return { kind: "raw", text };
  const answer = JSON.parse(text) as VendorAnswer;
  return { kind: "raw", answer, usage: usageOf(answer) ?? undefined };
}

/**
 * Duties a floor can leave out, each then done the lean floor's way: the key not checked, the body
 * not validated, the bench model's last route taken without dispatch, no classifier read
 * (`classify`), the client's text sent as it came and its answer read as the lean floor reads it
 * (`provider`), or the provider's steps with the forwarding check and edit (`forward`) or the
 * request's encoding too (`encode`) left out, a fixed cost (`meter`).
 */
export const DUTIES = ["auth", "validate", "route", "classify", "provider", "forward", "encode", "meter"] as const;
export type Duty = (typeof DUTIES)[number];

/** A comma-separated list of duties (DUTIES_WITHOUT), checked. */
export function dutiesOf(list: string | undefined): Set<Duty> {
  const named = (list ?? "").split(",").filter(Boolean);
  for (const name of named) if (!DUTIES.includes(name as Duty)) throw new Error(`no duty named ${name}: one of ${DUTIES.join(", ")}`);
  return new Set(named as Duty[]);
}

/** Who a floor without `auth` takes every caller for. */
const BENCH_PRINCIPAL: Principal = { keyId: "key", name: "bench", creditLimit: null, rateLimit: null, tags: [] };

export async function startDutiesGateway(configPath: string, options: { port?: number; without?: ReadonlySet<Duty> } = {}) {
  const { port = 0, without = new Set<Duty>() } = options;
  const runtime = await Runtime.start({ configPath, env: process.env, builtins: builtinPlugins, kit: createKit() });
  const snapshot = runtime.snapshot;
  const { stats, ledger } = runtime;
  // What `without` replaces a duty with: the bench model's route and endpoint, found once.
  const lastRoute = snapshot.graph.routes.at(-1)!;
  const endpoint = snapshot.graph.models.get(BENCH_MODEL)![0]!;
  const settings = snapshot.graph.providers.get(endpoint.provider)!.settings as { base_url: string; api_key: string };
  const fixed = { route: lastRoute.name, endpoint, vendor: { url: `${settings.base_url}/chat/completions`, key: settings.api_key } };
  // Without `classify`, the gateway's routing with no classifier to read: each reads as undefined.
  const routing = without.has("classify") ? { ...snapshot, classifiers: new Map() } : snapshot;

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 255,
    maxRequestBodySize: snapshot.graph.server.bodyLimit + 1024 * 1024,
    async fetch(request) {
      const arrivedAt = performance.now();
      const id = newRequestId();
      let principal = BENCH_PRINCIPAL;
      if (!without.has("auth")) {
        const authenticated = authenticate(snapshot, { headers: request.headers, key: clientKey(request.headers) });
        const answer = authenticated instanceof Promise ? await authenticated : authenticated;
        if (isSwitchyardError(answer)) return Response.json({ error: answer.message }, { status: answer.status });
        principal = answer;
      }
      const body = await readJson(request, snapshot.graph.server.bodyLimit);
      if (!without.has("validate")) openaiDialect.validate(body.json);
      const decoded = openaiDialect.decode(body.json, body.text);
      const canonical = decoded.request;

      let estimated: number | undefined;
      const inputTokens = () => (estimated ??= estimateInputTokens(canonical));
      let endpoint = fixed.endpoint;
      let routeName = fixed.route;
      if (!without.has("route")) {
        const input = { request: canonical, models: decoded.models, provider: decoded.provider, headers: request.headers, cancel: NEVER_CANCELLED };
        const routed = route(routing, runtime, input, principal, inputTokens);
        const dispatched = routed instanceof Promise ? await routed : routed;
        if (!dispatched.ok) return Response.json({ error: dispatched.error.message }, { status: dispatched.error.status });
        endpoint = dispatched.candidates[0]!;
        routeName = dispatched.route.name;
      }

      const upstreamCall = watchedCall(request);
      stats.begin(endpoint.id);
      const started = performance.now();
      const answer = without.has("provider")
        ? await rawCall(fixed.vendor, body.text, canonical.stream, upstreamCall.signal)
        : without.has("forward") || without.has("encode")
          ? await partsCall(fixed.vendor, forEndpoint(canonical, endpoint), upstreamCall.signal, without.has("encode") ? "encode" : "forward")
          : await providerCall(snapshot.providers.get(endpoint.provider)!, forEndpoint(canonical, endpoint), upstreamCall.signal);
      const elapsed = performance.now() - started;
      stats.end(endpoint.id, { ok: true, latencyMs: elapsed, ttftMs: elapsed });
      upstreamCall.done();

      const attempts = [{ endpoint: endpoint.id, status: 200, duration_ms: Math.round(elapsed), error: null }];
      const usage = answer.usage ?? { inputTokens: inputTokens(), outputTokens: 0 };
      const metered = without.has("meter") ? { usage, cost: 1000, fee: 50 } : meter(usage, endpoint, snapshot.fee, principal);
      ledger.record({
        id, keyId: principal.keyId, route: routeName, requestedModel: canonical.model, model: endpoint.publicModel,
        provider: endpoint.provider, endpoint: endpoint.id, status: 200, errorCode: null,
        attempts,
        stream: canonical.stream, usage: metered.usage, cost: metered.cost, fee: metered.fee,
        latencyMs: Math.round(performance.now() - arrivedAt), ttftMs: Math.round(elapsed), createdAt: Date.now(), reservation: null,
      });
      const headers = servedHeaders(id, {
        route: routeName, model: endpoint.publicModel, provider: endpoint.provider, attempts, overheadMs: performance.now() - arrivedAt - elapsed,
      });
      const costUsd = nanoToUsd(metered.cost + metered.fee);
      if (answer.kind === "raw") {
        if (answer.answer) return Response.json(reencoded(answer.answer, { id, model: endpoint.publicModel, costUsd }), { headers });
        return new Response(answer.text, { headers: { ...headers, "content-type": "text/event-stream" } });
      }
      if (answer.kind === "response") {
        const response = { ...answer.response, usage: metered.usage };
        return Response.json(openaiDialect.encodeResponse(response, { id, model: endpoint.publicModel, costUsd, request: decoded.request }), { headers });
      }
      const encoder = openaiDialect.streamEncoder({ id, model: endpoint.publicModel, created: Math.floor(Date.now() / 1000), includeUsage: decoded.includeUsage, request: decoded.request });
      const text = withClosingFrames(encoder, framesOf(encoder, answer.events, ""), { usage: metered.usage, costUsd });
      return new Response(text, { headers: withStreamHeaders(headers) });
    },
  });
  return { server, runtime };
}

if (import.meta.main) {
  // The gateway's own allocator setting (core/cli/server-environment.ts): a floor of it runs as it does.
  useServerEnvironment();
  const [config] = process.argv.slice(2);
  if (!config) throw new Error("usage: bun bench/duties-gateway.ts <config>");
  const { server, runtime } = await startDutiesGateway(config, { port: Number(process.env.PORT ?? 0), without: dutiesOf(process.env.DUTIES_WITHOUT) });
  process.on("SIGTERM", async () => {
    server.stop(true);
    await runtime.close();
    process.exit(0);
  });
  console.log(`listening ${server.port}`);
}
