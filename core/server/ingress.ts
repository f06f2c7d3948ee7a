// The chat endpoints of both dialects: decode the client's body into the canonical request, run
// the gateway pipeline, and encode its outcome back as JSON or SSE in the client's own format.

import type { ProviderPreferences } from "../dispatch/index.ts";
import type { SwitchyardError } from "../errors.ts";
import type { ChatRequest, ChatResponse, StreamEvent, Usage } from "../kit/canonical.ts";
import { clientGone } from "../gateway/attempt.ts";
import { Cancellation } from "../gateway/cancellation.ts";
import { serveChat, type ChatOutcome } from "../gateway/pipeline.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { clientKey, errorResponse, newRequestId, readJson, servedHeaders, toGatewayError } from "./http.ts";
import type { Metrics } from "./metrics.ts";

export interface StreamEncoder {
  encode(event: StreamEvent): string;
  end(usage: Usage | undefined, costUsd?: number): string;
  error(error: SwitchyardError): string;
}

export interface Decoded {
  request: ChatRequest;
  models?: string[];
  provider?: ProviderPreferences;
  includeUsage: boolean;
}

/** What differs between the OpenAI and the Anthropic endpoint. */
export interface Dialect {
  name: "openai" | "anthropic";
  validate(body: unknown): void;
  decode(body: unknown): Decoded;
  encodeResponse(response: ChatResponse, info: { id: string; model: string; costUsd: number }): unknown;
  streamEncoder(info: { id: string; model: string; created: number; includeUsage: boolean }): StreamEncoder;
}

const encoder = new TextEncoder();

export async function handleChat(dialect: Dialect, request: Request, runtime: Runtime, metrics: Metrics): Promise<Response> {
  const arrivedAt = performance.now();
  const id = newRequestId();
  let decoded: Decoded;
  try {
    const body = await readJson(request, runtime.snapshot.graph.server.bodyLimit);
    dialect.validate(body);
    decoded = dialect.decode(body);
  } catch (error) {
    return errorResponse(toGatewayError(error), servedHeaders(id, null), dialect.name);
  }
  const snapshot = runtime.acquire();
  // The one AbortSignal listener of the request; everything downstream uses the cheap Cancellation.
  const client = new Cancellation();
  const onAbort = () => client.abort(clientGone());
  request.signal.addEventListener("abort", onAbort, { once: true });
  let streaming = false;
  try {
    const outcome = await serveChat(snapshot, runtime, {
      id,
      request: decoded.request,
      models: decoded.models,
      provider: decoded.provider,
      headers: request.headers,
      key: clientKey(request.headers),
      cancel: client,
      arrivedAt,
    });
    metrics.observe(outcome, performance.now() - arrivedAt);
    const headers = servedHeaders(id, outcome.served);
    const model = outcome.served.model ?? decoded.request.model;
    if (outcome.kind === "error") return errorResponse(outcome.error, headers, dialect.name);
    if (outcome.kind === "response") {
      const costUsd = (outcome.metered.cost + outcome.metered.fee) / 1e9;
      return Response.json(dialect.encodeResponse(outcome.response, { id, model, costUsd }), { headers });
    }
    streaming = true;
    const stream = dialect.streamEncoder({ id, model, created: Math.floor(Date.now() / 1000), includeUsage: decoded.includeUsage });
    const done = () => {
      request.signal.removeEventListener("abort", onAbort);
      runtime.release(snapshot);
    };
    return new Response(sseBody(outcome, stream, client, done), {
      headers: { ...headers, "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
    });
  } catch (error) {
    return errorResponse(toGatewayError(error), servedHeaders(id, null), dialect.name);
  } finally {
    if (!streaming) {
      request.signal.removeEventListener("abort", onAbort);
      runtime.release(snapshot);
    }
  }
}

/**
 * Pull-based, so a slow client slows the upstream read (backpressure, up to a queue of 8 frames);
 * a client that goes away cancels the stream, which aborts the upstream call at once.
 */
function sseBody(
  outcome: Extract<ChatOutcome, { kind: "stream" }>,
  stream: StreamEncoder,
  client: Cancellation,
  done: () => void,
): ReadableStream<Uint8Array> {
  const iterator = outcome.events[Symbol.asyncIterator]();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          while (true) {
            const step = await iterator.next();
            if (step.done) {
              const settled = outcome.settlement();
              controller.enqueue(encoder.encode(stream.end(settled?.usage, settled?.costUsd)));
              controller.close();
              return finish();
            }
            const text = stream.encode(step.value);
            if (text) return controller.enqueue(encoder.encode(text));
          }
        } catch (error) {
          if (!client.aborted) controller.enqueue(encoder.encode(stream.error(toGatewayError(error))));
          controller.close();
          finish();
        }
      },
      async cancel() {
        client.abort(clientGone());
        await iterator.return?.(undefined).catch(() => {});
        finish();
      },
    },
    // A small queue lets Bun write several frames per socket write; it stays bounded, so a slow
    // client still slows the upstream read.
    { highWaterMark: 8 },
  );
}
