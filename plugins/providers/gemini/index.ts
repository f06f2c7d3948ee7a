// The `gemini` provider: calls Google's Gemini API (generateContent / streamGenerateContent).
//
// Example (router.config.yaml):
//   providers:
//     google: { use: gemini, api_key: "${GEMINI_API_KEY}" }

import type { Static } from "@sinclair/typebox";
import type { ChatRequest, ChatResult, Kit, ProviderInstance, ProviderPlugin } from "../../../core/kit/index.ts";
import { encodeRequest } from "./request.ts";
import { decodeError, decodeResponse, decodeStream, type GeminiResponse } from "./response.ts";

export default (kit: Kit) => {
  const Settings = kit.Type.Object(
    {
      api_key: kit.Type.String({ description: "Gemini API key, sent as x-goog-api-key" }),
      base_url: kit.Type.String({ default: "https://generativelanguage.googleapis.com/v1beta", pattern: kit.url.pattern }), // /models/{model}:generateContent is appended
    },
    { additionalProperties: false },
  );

  return {
    kind: "provider",
    name: "gemini",
    description: "Google Gemini API",
    settings: Settings,
    create(settings: Static<typeof Settings>, kit: Kit): ProviderInstance {
      const base = settings.base_url.replace(/\/+$/, "");
      const headers = { "content-type": "application/json", "x-goog-api-key": settings.api_key };

      async function send(url: string, init: RequestInit): Promise<Response> {
        const response = await kit.http.send(url, init, "Gemini");
        if (response.ok) return response;
        throw decodeError(response.status, await kit.http.body(response), response.headers, kit);
      }

      return {
        async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
          const model = encodeURIComponent(request.model);
          const url = request.stream ? `${base}/models/${model}:streamGenerateContent?alt=sse` : `${base}/models/${model}:generateContent`;
          const response = await send(url, { method: "POST", headers, body: JSON.stringify(encodeRequest(request, kit)), signal });
          const oneCall = request.parallelToolCalls === false;
          if (!request.stream) return decodeResponse((await kit.http.body(response)) as GeminiResponse, request.model, kit, oneCall);
          if (!response.body) throw kit.errors.upstream("Gemini sent a stream response without a body", { retryable: true });
          return decodeStream(response.body, request.model, kit, oneCall);
        },
        // countTokens takes the whole request, its model named as a resource, and counts its prompt.
        async countTokens(request: ChatRequest, signal: AbortSignal): Promise<number> {
          const model = encodeURIComponent(request.model);
          const generateContentRequest = { model: `models/${request.model}`, ...encodeRequest(request, kit) };
          const response = await send(`${base}/models/${model}:countTokens`, { method: "POST", headers, body: JSON.stringify({ generateContentRequest }), signal });
          const counted = ((await kit.http.body(response)) as { totalTokens?: unknown }).totalTokens;
          if (typeof counted !== "number") throw kit.errors.upstream("Gemini counted no totalTokens", { retryable: true });
          return counted;
        },
        async models(signal: AbortSignal): Promise<string[]> {
          const response = await send(`${base}/models?pageSize=1000`, { headers, signal });
          const json = (await response.json()) as { models?: { name?: string }[] };
          return (json.models ?? []).flatMap((m) => (m.name ? [m.name.replace(/^models\//, "")] : []));
        },
      };
    },
  } satisfies ProviderPlugin<typeof Settings>;
};
