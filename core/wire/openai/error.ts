// OpenAI-style vendor error bodies → gateway errors, with the vendor's own words kept in metadata.

import { fromUpstreamStatus, parseRetryAfter, type SwitchyardError } from "../../errors.ts";
import { isObject } from "./response.ts";

// Wordings of "your prompt is too long" across OpenAI, DeepSeek, Mistral, Groq, vLLM and llama.cpp.
const CONTEXT_LENGTH = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|exceeds the (model'?s )?(max|context)/i;

export interface VendorError {
  message: string;
  type?: string;
  code?: string | number;
  param?: string;
}

/** Finds the error object in the shapes vendors use: `{error:{...}}`, `{message}`, `{detail}`, `[{error}]`, text. */
export function readVendorError(body: unknown, status: number): VendorError {
  const root = Array.isArray(body) ? body[0] : body;
  const error = isObject(root) && isObject(root.error) ? root.error : root;
  if (typeof error === "string" && error) return { message: error };
  if (!isObject(error)) return { message: `vendor answered HTTP ${status}` };
  const found: VendorError = {
    message:
      typeof error.message === "string"
        ? error.message
        : typeof error.detail === "string"
          ? error.detail
          : typeof (root as { error?: unknown }).error === "string"
            ? ((root as { error: string }).error)
            : `vendor answered HTTP ${status}`,
  };
  if (typeof error.type === "string") found.type = error.type;
  if (typeof error.code === "string" || typeof error.code === "number") found.code = error.code;
  if (typeof error.param === "string") found.param = error.param;
  return found;
}

/**
 * Vendor HTTP failure → gateway error, via fromUpstreamStatus so every provider agrees on retries.
 * `secrets` (the provider's own keys) are cut out of the message before it can reach a client.
 */
export function decodeError(status: number, body: unknown, headers: Headers, options: { secrets?: string[] } = {}): SwitchyardError {
  const vendor = readVendorError(body, status);
  for (const secret of options.secrets ?? []) {
    if (secret) vendor.message = vendor.message.split(secret).join("[redacted]");
  }
  const contextLength =
    vendor.code === "context_length_exceeded" || ((status === 400 || status === 413) && CONTEXT_LENGTH.test(vendor.message));
  return fromUpstreamStatus(status, vendor.message, {
    retryAfterMs: parseRetryAfter(headers),
    metadata: { upstream: { status, ...vendor } },
    contextLength,
  });
}
