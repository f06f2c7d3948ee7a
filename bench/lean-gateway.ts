// The floor for a gateway with the bench config's duties, leaving out its logic: the parsing proxy
// (bench/parsing-proxy.ts) plus the per-request work that a gateway with api-keys auth, timeouts and
// a SQLite ledger cannot route around, each done the cheapest way we know:
// - the key checked by its SHA-256 against one known hash;
// - the upstream call given an AbortSignal, with a timeout timer, and the client's own signal
//   watched, so a timeout or a client that goes away aborts it;
// - the JSON answer parsed and encoded again with our id and its cost, the gateway's headers set;
// - one row per request through the gateway's own ledger (core/ledger: the same table, indexes,
//   prepared insert, key charge and write queue).
// No validation, routing, classifier, fee or credit: whatever the gateway spends beyond this floor is
// its own logic. Optimistic on purpose: the body is forwarded as it came (no model swapped) and a
// stream is relayed as bytes with the usage searched, not decoded (see parsing-proxy.ts).
// Run as `bun bench/lean-gateway.ts <upstream-url> <sqlite-file> <key>`; prints `listening <port>`.
// With LEAN_BURN_US=N (and LEAN_BURN_KIND) in its environment, each request first does N µs of
// calibrated work (burn.ts; bench/floor.ts --burn).

import { useServerEnvironment } from "../core/cli/server-environment.ts";
import { DEFAULT_TIMEOUT_MS } from "../core/gateway/attempt.ts";
import { openLedger } from "../core/ledger/index.ts";
import { hashSecret } from "../core/ledger/secrets.ts";
import type { Usage } from "../core/kit/canonical.ts";
import { burnKindOf, calibratedBurn } from "./burn.ts";
import { relayStream } from "./parsing-proxy.ts";

/**
 * The upstream call's abort as the floors watch it: a timeout timer and the client's own signal,
 * either of which aborts the call. `done` stops watching once the call has settled.
 */
export function watchedCall(request: Request): { signal: AbortSignal; done(): void } {
  const call = new AbortController();
  const abort = () => call.abort();
  // The gateway's own default for an endpoint that sets no timeout.
  const timer = setTimeout(abort, DEFAULT_TIMEOUT_MS);
  // Never removed: a server aborts a request's signal only while its response is pending.
  request.signal.addEventListener("abort", abort);
  return {
    signal: call.signal,
    done() {
      clearTimeout(timer);
    },
  };
}

/** The fields of a vendor's Chat Completions answer that the floor reads. */
export interface VendorAnswer {
  choices: unknown;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** The answer's usage as the ledger counts it, or null when the vendor sent none. */
export function usageOf(answer: VendorAnswer): Usage | null {
  return answer.usage ? { inputTokens: answer.usage.prompt_tokens, outputTokens: answer.usage.completion_tokens } : null;
}

/** The answer encoded again the cheapest way: our id and model, its choices as they came, the cost added to its usage. */
export function reencoded(answer: VendorAnswer, info: { id: string; model: string; costUsd: number }) {
  const { id, model, costUsd } = info;
  return { id, object: "chat.completion", created: Math.floor(Date.now() / 1000), model, choices: answer.choices, usage: { ...answer.usage, cost: costUsd } };
}

export async function startLeanGateway(upstream: string, ledgerFile: string, key: string, port = 0, burn = calibratedBurn(0)) {
  const url = `${upstream.replace(/\/$/, "")}/v1/chat/completions`;
  const keyHash = hashSecret(key);
  const ledger = await openLedger(`sqlite:${ledgerFile}`);
  let sequence = 0;

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 255,
    async fetch(request) {
      const arrivedAt = performance.now();
      burn();
      const token = request.headers.get("authorization")?.slice("Bearer ".length) ?? "";
      if (hashSecret(token) !== keyHash) return Response.json({ error: "unknown key" }, { status: 401 });
      const body = await request.text();
      const parsed = JSON.parse(body) as { model?: unknown; stream?: unknown };
      const model = parsed.model;
      if (typeof model !== "string") return Response.json({ error: "model is required" }, { status: 400 });
      const id = `req_${Date.now().toString(36)}${(sequence++).toString(36)}`;

      const upstreamCall = watchedCall(request);
      const settle = (usage: Usage | null, status: number) => {
        upstreamCall.done();
        ledger.record({
          id, keyId: "key", route: "direct", requestedModel: model, model, provider: "upstream", endpoint: "upstream/model", status,
          errorCode: null, attempts: [], stream: parsed.stream === true, usage, cost: 1000, fee: 50,
          latencyMs: Math.round(performance.now() - arrivedAt), ttftMs: null, createdAt: Date.now(),
        });
      };

      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer upstream-key" },
        body,
        signal: upstreamCall.signal,
      });
      const headers = {
        "x-request-id": id, "x-switchyard-route": "direct", "x-switchyard-model": model,
        "x-switchyard-provider": "upstream", "x-switchyard-attempts": "1",
        "x-switchyard-overhead-ms": (performance.now() - arrivedAt).toFixed(3),
      };
      if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream")) {
        // The row's usage would come from the usage frame; the relay only confirms there was one.
        return relayStream(response.body, { ...headers, "content-type": "text/event-stream" }, () => settle(null, response.status));
      }
      const answer = JSON.parse(await response.text()) as VendorAnswer;
      settle(usageOf(answer), response.status);
      return Response.json(reencoded(answer, { id, model, costUsd: 0.00105 }), { status: response.status, headers });
    },
  });
  return { server, ledger };
}

if (import.meta.main) {
  // The gateway's own allocator setting (core/cli/server-environment.ts): a floor of it runs as it does.
  useServerEnvironment();
  const [upstream, ledgerFile, key] = process.argv.slice(2);
  if (!upstream || !ledgerFile || !key) throw new Error("usage: bun bench/lean-gateway.ts <upstream-url> <sqlite-file> <key>");
  const { server, ledger } = await startLeanGateway(upstream, ledgerFile, key, Number(process.env.PORT ?? 0),
    calibratedBurn(Number(process.env.LEAN_BURN_US ?? 0), burnKindOf(process.env.LEAN_BURN_KIND)),
  );
  process.on("SIGTERM", async () => {
    server.stop(true);
    await ledger.close();
    process.exit(0);
  });
  console.log(`listening ${server.port}`);
}
