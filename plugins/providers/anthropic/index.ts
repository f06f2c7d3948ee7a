// The `anthropic` provider: calls the Anthropic Messages API through the kit's Anthropic wire codec.
//
// Example (router.config.yaml):
//   providers:
//     anthropic: { use: anthropic, api_key: "${ANTHROPIC_API_KEY}" }

import type { Static } from "@sinclair/typebox";
import type { ChatRequest, ChatResult, Kit, ProviderInstance, ProviderPlugin } from "../../../core/kit/index.ts";

export default (kit: Kit) => {
  const Settings = kit.Type.Object(
    {
      api_key: kit.Type.String({ description: "Anthropic API key, sent as x-api-key" }),
      base_url: kit.Type.String({ default: "https://api.anthropic.com", pattern: kit.url.pattern }), // /v1/messages is appended
      version: kit.Type.String({ default: "2023-06-01", description: "anthropic-version header" }),
      default_max_tokens: kit.Type.Integer({ default: 4096, minimum: 1, description: "max_tokens when the client sets none" }),
    },
    { additionalProperties: false },
  );

  return {
    kind: "provider",
    name: "anthropic",
    description: "Anthropic Messages API (Claude models)",
    settings: Settings,
    create(settings: Static<typeof Settings>, kit: Kit): ProviderInstance {
      const wire = kit.wire.anthropic;
      const base = settings.base_url.replace(/\/+$/, "");
      const url = `${base}/v1/messages`;
      const countUrl = `${base}/v1/messages/count_tokens`;
      const modelsUrl = `${base}/v1/models?limit=1000`;
      const headers = {
        "content-type": "application/json",
        "x-api-key": settings.api_key,
        "anthropic-version": settings.version,
      };
      const encodeOptions = { defaultMaxTokens: settings.default_max_tokens };

      async function failure(response: Response): Promise<never> {
        throw wire.decodeError(response.status, await kit.http.body(response), response.headers);
      }
      const send = (target: string, init: RequestInit) => kit.http.send(target, init, "Anthropic");
      // The beta features the client's own fields need go with them.
      const headersFor = (request: ChatRequest) => (request.anthropicBetas ? { ...headers, "anthropic-beta": request.anthropicBetas.join(",") } : headers);

      return {
        async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
          const body = wire.requestBody(request, encodeOptions, kit.http.copiesBodies());
          const response = await send(url, { method: "POST", headers: headersFor(request), body, signal });
          if (!response.ok) return failure(response);
          if (!request.stream) return wire.decodeResponse(await kit.http.body(response));
          if (!response.body) throw kit.errors.upstream("Anthropic sent a stream response without a body", { retryable: true });
          return wire.decodeStreamBody(response.body);
        },
        async countTokens(request: ChatRequest, signal: AbortSignal): Promise<number> {
          const body = JSON.stringify(wire.countTokensBody(request, encodeOptions));
          const response = await send(countUrl, { method: "POST", headers: headersFor(request), body, signal });
          if (!response.ok) return failure(response);
          const counted = ((await kit.http.body(response)) as { input_tokens?: unknown }).input_tokens;
          if (typeof counted !== "number") throw kit.errors.upstream("Anthropic counted no input_tokens", { retryable: true });
          return counted;
        },
        async models(signal: AbortSignal): Promise<string[]> {
          const response = await send(modelsUrl, { headers, signal });
          if (!response.ok) return failure(response);
          const json = (await response.json()) as { data?: { id?: string }[] };
          return (json.data ?? []).flatMap((model) => (model.id ? [model.id] : []));
        },
      };
    },
  } satisfies ProviderPlugin<typeof Settings>;
};
