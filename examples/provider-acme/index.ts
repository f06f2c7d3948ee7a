// Example provider plugin for "Acme", a made-up vendor with its own JSON and SSE formats: a complete
// template for adding a vendor, using only type imports and the helpers of the plugin kit.
//
// Acme's API, as this plugin speaks it:
//   POST {base_url}/generate   authorization: Bearer <api_key>
//     { model, prompt_messages: [{ role, text }], max_new_tokens, temperature?, stop?, stream }
//   200 → x-request-id header; { id, model, output: { text }, stop_reason: "end" | "max_tokens" | "stop_sequence",
//           tokens: { prompt, generated } }
//   stream → event: token  data: { text }
//            event: done   data: { id, model, stop_reason, tokens: { prompt, generated } }
//            event: error  data: { message }
//   errors → HTTP status with { error: { message } }, `retry-after` on 429
//
// Example (router.config.yaml):
//   plugins: [./examples]
//   providers:
//     acme: { use: acme, api_key: "${ACME_API_KEY}" }

// Type imports only: they are erased, so the file loads with no node_modules beside it.
import type { Static } from "@sinclair/typebox";
import type { ChatRequest, ChatResponse, FinishReason, Kit, ProviderInstance, ProviderPlugin, StreamEvent, Usage } from "../../core/kit/index.ts";

interface AcmeTokens {
  prompt: number;
  generated: number;
}

interface AcmeResult {
  id: string;
  model: string;
  output: { text: string };
  stop_reason: string;
  tokens: AcmeTokens;
}

interface AcmeDone {
  id?: string;
  model?: string;
  stop_reason: string;
  tokens: AcmeTokens;
}

const STOP_REASONS: Record<string, FinishReason> = { end: "stop", stop_sequence: "stop", max_tokens: "length" };

const usageOf = (tokens: AcmeTokens): Usage => ({ inputTokens: tokens.prompt, outputTokens: tokens.generated });

export default (kit: Kit) => {
  const Settings = kit.Type.Object(
    {
      api_key: kit.Type.String({ description: "Acme API key, sent as a bearer token" }),
      base_url: kit.Type.String({ default: "https://api.acme.example/v1", pattern: kit.url.pattern }), // /generate is appended
      default_max_tokens: kit.Type.Integer({ default: 1024, minimum: 1, description: "max_new_tokens when the client sets none" }),
    },
    { additionalProperties: false },
  );
  type Settings = Static<typeof Settings>;

  return {
    kind: "provider",
    name: "acme",
    description: "Acme text generation API (example plugin)",
    settings: Settings,
    create(settings: Settings, kit: Kit): ProviderInstance {
      // The host has filled in the schema's defaults: base_url and default_max_tokens are set.
      const url = `${settings.base_url.replace(/\/+$/, "")}/generate`;
      const headers = { "content-type": "application/json", authorization: `Bearer ${settings.api_key}` };

      /** Canonical request → Acme body. Acme has text only: other requests are for another vendor. */
      function encode(request: ChatRequest) {
        if (request.tools?.length) throw unsupported("tools");
        const prompt_messages = request.messages.map((message) => {
          if (message.role === "tool") throw unsupported("tool results");
          let text = "";
          for (const part of message.content) {
            if (part.type !== "text") throw unsupported("images");
            text += part.text;
          }
          return { role: message.role, text };
        });
        return {
          model: request.model,
          prompt_messages,
          max_new_tokens: request.maxTokens ?? settings.default_max_tokens,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.stop?.length ? { stop: request.stop } : {}),
          stream: request.stream,
        };
      }

      // retryable: another candidate endpoint (another vendor) may well serve this request.
      function unsupported(feature: string) {
        return new kit.SwitchyardError("bad_request", `acme does not support ${feature}`, { retryable: true });
      }

      /** Non-2xx → a gateway error: fromUpstreamStatus decides the code and whether to fall back. */
      async function failure(response: Response): Promise<never> {
        const text = await response.text().catch(() => "");
        let message = text || response.statusText;
        try {
          message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
        } catch {}
        throw kit.fromUpstreamStatus(response.status, `acme: ${message}`, { retryAfterMs: kit.parseRetryAfter(response.headers) });
      }

      return {
        async chat(request, signal) {
          const body = JSON.stringify(encode(request));
          // A network failure becomes a retryable upstream error; an abort by the gateway passes as it is.
          const response = await kit.http.send(url, { method: "POST", headers, body, signal }, "acme");
          if (!response.ok) return failure(response);
          if (!request.stream) return decodeResult((await response.json()) as AcmeResult);
          if (!response.body) throw kit.errors.upstream("acme sent a stream without a body", { retryable: true });
          return decodeStream(response.body, response.headers.get("x-request-id") ?? `acme-${kit.now()}`, request.model);
        },
      };
    },
  } satisfies ProviderPlugin<typeof Settings>;

  function decodeResult(result: AcmeResult): ChatResponse {
    return {
      id: result.id,
      model: result.model,
      created: Math.floor(kit.now() / 1000),
      text: result.output.text,
      toolCalls: [],
      finishReason: STOP_REASONS[result.stop_reason] ?? "stop",
      nativeFinishReason: result.stop_reason,
      usage: usageOf(result.tokens),
    };
  }

  /** Acme's named SSE events → canonical events. kit.sse.read cancels the body if the loop is left. */
  async function* decodeStream(body: ReadableStream<Uint8Array>, id: string, model: string): AsyncGenerator<StreamEvent> {
    let started = false;
    for await (const message of kit.sse.read(body)) {
      if (message.event === "error") {
        const { message: text } = JSON.parse(message.data) as { message?: string };
        throw kit.errors.upstream(`acme: ${text ?? "stream failed"}`, { retryable: !started });
      }
      if (!started) {
        started = true;
        yield { type: "start", id, model };
      }
      if (message.event === "token") {
        yield { type: "text", text: (JSON.parse(message.data) as { text: string }).text };
      } else if (message.event === "done") {
        const done = JSON.parse(message.data) as AcmeDone;
        yield { type: "usage", usage: usageOf(done.tokens) };
        yield { type: "finish", reason: STOP_REASONS[done.stop_reason] ?? "stop", native: done.stop_reason };
        return;
      }
    }
    throw kit.errors.upstream("acme: the stream ended without a done event", { retryable: !started });
  }
};
