// The OpenAI-compatible upstream client: one implementation behind the `openai` and
// `openai-compatible` provider plugins, and any user plugin for a compatible vendor.

import type { ChatRequest, ChatResult } from "../../kit/canonical.ts";
import type { Kit } from "../../kit/kit.ts";
import type { ProviderInstance } from "../../kit/plugin.ts";
import { decodeError } from "./error.ts";
import { requestBody, type EncodeRequestOptions } from "./request.ts";
import { decodeResponse } from "./response.ts";
import { decodeStreamBody } from "./stream.ts";

export interface ChatProviderOptions {
  /** Where `/chat/completions` is appended, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey: string;
  /** Header carrying the key; default `authorization`. */
  authHeader?: string;
  /** Put before the key with a space; "" sends the bare key. Default `Bearer`. */
  authScheme?: string;
  headers?: Record<string, string>;
  maxTokensField?: EncodeRequestOptions["maxTokensField"];
  openaiOnly?: boolean;
  /** Pass OpenAI's own steering fields (`logit_bias`, `store`, `metadata`…) on; OpenAI itself (`openaiOnly`) always takes them. */
  openaiFields?: boolean;
  toolIds?: EncodeRequestOptions["toolIds"];
  /**
   * Where an assistant turn's reasoning goes back to the vendor (`reasoning_content`, DeepSeek's),
   * or `none`. Default: `reasoning_content` for DeepSeek's API (api.deepseek.com), which refuses a
   * turn after tool calls without it; none elsewhere, as vendors may refuse an unknown field.
   */
  reasoningField?: EncodeRequestOptions["reasoningField"] | "none";
  /**
   * `mistral`: Mistral's own API (see EncodeRequestOptions.flavour), which also sends a stream's
   * usage in its last chunk unasked and takes only its own tool ids; `standard`: none of that.
   * Default: `mistral` for api.mistral.ai, `standard` elsewhere.
   */
  flavour?: "mistral" | "standard";
}

/** The host a base URL names: a vendor's own API (api.deepseek.com) takes that vendor's rules by default. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Builds a provider instance that speaks Chat Completions to one vendor account. Everything that
 * does not change per request (URL, headers) is fixed here, at construction.
 */
export function createChatProvider(kit: Kit, options: ChatProviderOptions): ProviderInstance {
  const { url, headers, streamHeaders, secrets } = vendorCall(options, "/chat/completions");
  const host = hostOf(options.baseUrl);
  const mistral = (options.flavour ?? (host === "api.mistral.ai" ? "mistral" : "standard")) === "mistral";
  const encodeOptions: EncodeRequestOptions = {
    // Always ask for the usage chunk: the gateway meters every stream, whatever the client asked.
    // Mistral refuses the ask, and sends usage in its last chunk anyway.
    includeUsage: !mistral,
    maxTokensField: options.maxTokensField,
    openaiOnly: options.openaiOnly,
    openaiFields: options.openaiFields ?? options.openaiOnly,
    toolIds: options.toolIds ?? (mistral ? "mistral" : undefined),
  };
  if (mistral) encodeOptions.flavour = "mistral";
  const reasoningField = options.reasoningField ?? (host === "api.deepseek.com" ? "reasoning_content" : "none");
  if (reasoningField !== "none") encodeOptions.reasoningField = reasoningField;

  async function chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    const body = requestBody(request, encodeOptions, kit.http.copiesBodies());
    const response = await kit.http.send(url, { method: "POST", headers: request.stream ? streamHeaders : headers, body, signal });
    if (!response.ok) throw decodeError(response.status, await kit.http.body(response), response.headers, { secrets });
    if (!request.stream) return decodeResponse(await kit.http.body(response));
    if (!response.body) throw kit.errors.upstream("vendor answered a stream request with no body", { retryable: true });
    // Some OpenAI-compatible servers ignore `stream` and answer whole: the answer is as good, and
    // the gateway streams it to the client (core/gateway/whole-stream.ts).
    if (response.headers.get("content-type")?.includes("json")) return decodeResponse(await kit.http.body(response));
    return decodeStreamBody(response.body);
  }

  return { chat };
}

/**
 * What every call to one OpenAI-style vendor account shares: the endpoint's URL under the base,
 * the headers with the key (JSON, and the same asking for a stream), and the key as a secret to
 * redact from the vendor's errors.
 */
export function vendorCall(options: Pick<ChatProviderOptions, "baseUrl" | "apiKey" | "authHeader" | "authScheme" | "headers">, path: string) {
  const url = `${options.baseUrl.replace(/\/+$/, "")}${path}`;
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.apiKey) {
    const scheme = options.authScheme ?? "Bearer";
    headers[(options.authHeader ?? "authorization").toLowerCase()] = scheme ? `${scheme} ${options.apiKey}` : options.apiKey;
  }
  const streamHeaders = { ...headers, accept: "text/event-stream" };
  return { url, headers, streamHeaders, secrets: options.apiKey ? [options.apiKey] : [] };
}
