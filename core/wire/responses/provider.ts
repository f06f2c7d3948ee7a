// The OpenAI Responses API as an upstream: for models OpenAI serves only there (its `-pro` and
// Codex models), behind the `openai` provider plugin set with `api: responses`.

import type { ChatRequest, ChatResult } from "../../kit/canonical.ts";
import type { Kit } from "../../kit/kit.ts";
import type { ProviderInstance } from "../../kit/plugin.ts";
import { decodeError } from "../openai/error.ts";
import { vendorCall, type ChatProviderOptions } from "../openai/provider.ts";
import { decodeUpstreamResponse, encodeUpstreamRequest, UpstreamStreamDecoder } from "./upstream.ts";

export function createResponsesProvider(kit: Kit, options: Pick<ChatProviderOptions, "baseUrl" | "apiKey" | "headers">): ProviderInstance {
  const { url, headers, streamHeaders, secrets } = vendorCall(options, "/responses");

  async function chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    const body = JSON.stringify(encodeUpstreamRequest(request));
    const response = await kit.http.send(url, { method: "POST", headers: request.stream ? streamHeaders : headers, body, signal });
    if (!response.ok) throw decodeError(response.status, await kit.http.body(response), response.headers, { secrets });
    if (!request.stream) return decodeUpstreamResponse(await kit.http.body(response));
    if (!response.body) throw kit.errors.upstream("OpenAI answered a stream request with no body", { retryable: true });
    return kit.sse.decode(response.body, new UpstreamStreamDecoder());
  }

  return { chat };
}
