// Provider for any vendor that speaks OpenAI Chat Completions: DeepSeek, Mistral, Groq, Together,
// xAI, OpenRouter, Ollama, vLLM, llama.cpp.
//
// Example (router.config.yaml):
//   providers:
//     deepseek: { use: openai-compatible, base_url: https://api.deepseek.com/v1, api_key: "${DEEPSEEK_API_KEY}" }
//     proxy: { use: openai-compatible, base_url: http://127.0.0.1:4000/v1, openai_fields: true }
//     mistral: { use: openai-compatible, base_url: https://api.mistral.ai/v1, api_key: "${MISTRAL_API_KEY}" }
// `openai_fields: true` passes OpenAI's own fields (logit_bias, store, metadata…) on, for a vendor
// that serves OpenAI's models or takes them; by default they are left out, as most vendors refuse them.
// `flavour: mistral` (the default for api.mistral.ai) keeps to what Mistral's API takes: no
// stream_options, `seed` as its random_seed, no user, and tool ids of nine letters and digits.
// `tool_ids: mistral` alone fits the tool ids of a conversation begun elsewhere to those, for a
// server of Mistral's models that is not Mistral's API. `reasoning_field: reasoning_content` sends an assistant turn's reasoning
// back, as DeepSeek's thinking mode requires after tool calls: the default for api.deepseek.com.

import type { Static } from "@sinclair/typebox";
import type { Kit, ProviderInstance, ProviderPlugin } from "../../../core/kit/index.ts";

export default (kit: Kit) => {
  const { Type } = kit;
  const Settings = Type.Object(
    {
      base_url: Type.String({ pattern: kit.url.pattern }), // /chat/completions is appended
      api_key: Type.String({ default: "" }),
      auth_header: Type.String({ default: "authorization" }),
      auth_scheme: Type.String({ default: "Bearer", description: '"" sends the bare key' }),
      headers: Type.Optional(Type.Record(Type.String(), Type.String())),
      max_tokens_field: Type.Union([Type.Literal("max_tokens"), Type.Literal("max_completion_tokens")], {
        default: "max_tokens",
      }),
      openai_fields: Type.Boolean({
        default: false,
        description: "Pass OpenAI's own fields (logit_bias, store, metadata, service_tier…) on; for vendors that take them",
      }),
      tool_ids: Type.Optional(
        Type.Literal("mistral", { description: "mistral: the vendor takes only tool ids of nine letters and digits (another vendor's are hashed to fit)" }),
      ),
      flavour: Type.Optional(
        Type.Union([Type.Literal("mistral"), Type.Literal("standard")], {
          description:
            "mistral: Mistral's API, which refuses what it does not define (no stream_options, seed as random_seed, no user; its tool ids); default mistral for api.mistral.ai, standard elsewhere",
        }),
      ),
      reasoning_field: Type.Optional(
        Type.Union([Type.Literal("reasoning_content"), Type.Literal("reasoning"), Type.Literal("none")], {
          description:
            "The field an assistant turn's reasoning goes back in; default reasoning_content for api.deepseek.com (its thinking mode requires it after tool calls), none elsewhere",
        }),
      ),
    },
    { additionalProperties: false },
  );
  return {
    kind: "provider",
    name: "openai-compatible",
    description: "Any OpenAI Chat Completions compatible vendor",
    settings: Settings,
    create(settings: Static<typeof Settings>, kit: Kit): ProviderInstance {
      return kit.wire.openai.createChatProvider(kit, {
        baseUrl: settings.base_url,
        apiKey: settings.api_key,
        authHeader: settings.auth_header,
        authScheme: settings.auth_scheme,
        headers: settings.headers,
        maxTokensField: settings.max_tokens_field,
        openaiFields: settings.openai_fields,
        toolIds: settings.tool_ids,
        reasoningField: settings.reasoning_field,
        flavour: settings.flavour,
      });
    },
  } satisfies ProviderPlugin<typeof Settings>;
};
