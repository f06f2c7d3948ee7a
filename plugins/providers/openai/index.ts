// Provider for OpenAI itself: the OpenAI-compatible client with OpenAI's defaults and headers, or,
// with `api: responses`, the Responses API, for the models OpenAI serves only there.
//
// Example (router.config.yaml):
//   providers:
//     openai: { use: openai, api_key: "${OPENAI_API_KEY}", organization: org-123 }
//     openai-responses: { use: openai, api: responses, api_key: "${OPENAI_API_KEY}" }

import type { Static } from "@sinclair/typebox";
import type { Kit, ProviderInstance, ProviderPlugin } from "../../../core/kit/index.ts";

export default (kit: Kit) => {
  const { Type } = kit;
  const Settings = Type.Object(
    {
      api_key: Type.String(),
      base_url: Type.String({ default: "https://api.openai.com/v1", pattern: kit.url.pattern }),
      organization: Type.Optional(Type.String()),
      project: Type.Optional(Type.String()),
      headers: Type.Optional(Type.Record(Type.String(), Type.String())),
      api: Type.Optional(
        Type.Union([Type.Literal("chat"), Type.Literal("responses")], {
          default: "chat",
          description: "chat: Chat Completions; responses: the Responses API, for models served only there (o3-pro, the Codex models)",
        }),
      ),
    },
    { additionalProperties: false },
  );
  return {
    kind: "provider",
    name: "openai",
    description: "OpenAI: Chat Completions, or the Responses API",
    settings: Settings,
    create(settings: Static<typeof Settings>, kit: Kit): ProviderInstance {
      const headers: Record<string, string> = { ...settings.headers };
      if (settings.organization) headers["openai-organization"] = settings.organization;
      if (settings.project) headers["openai-project"] = settings.project;
      if (settings.api === "responses") return kit.wire.responses.createResponsesProvider(kit, { baseUrl: settings.base_url, apiKey: settings.api_key, headers });
      return kit.wire.openai.createChatProvider(kit, {
        baseUrl: settings.base_url,
        apiKey: settings.api_key,
        headers,
        // OpenAI's reasoning models refuse `max_tokens`; every OpenAI model takes the newer field.
        maxTokensField: "max_completion_tokens",
        openaiOnly: true,
      });
    },
  } satisfies ProviderPlugin<typeof Settings>;
};
