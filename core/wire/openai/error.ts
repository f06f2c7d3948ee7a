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

/**
 * Finds the error object in the shapes vendors use: `{error:{...}}`, `{message}`, `{detail}`,
 * `[{error}]`, text, and a validation failure's list (Mistral's `{message:{detail:[...]}}`).
 */
export function readVendorError(body: unknown, status: number): VendorError {
  const root = Array.isArray(body) ? body[0] : body;
  const error = isObject(root) && isObject(root.error) ? root.error : root;
  if (typeof error === "string" && error) return { message: error };
  if (!isObject(error)) return { message: `vendor answered HTTP ${status}` };
  const found: VendorError = { message: messageOf(error, root as Record<string, unknown>) ?? `vendor answered HTTP ${status}` };
  if (typeof error.type === "string") found.type = error.type;
  if (typeof error.code === "string" || typeof error.code === "number") found.code = error.code;
  if (typeof error.param === "string") found.param = error.param;
  return found;
}

function messageOf(error: Record<string, unknown>, root: Record<string, unknown>): string | undefined {
  if (typeof error.message === "string") return error.message;
  if (typeof error.detail === "string") return error.detail;
  if (typeof root.error === "string") return root.error;
  return validationFailures(isObject(error.message) ? error.message.detail : (error.detail ?? error.message));
}

/**
 * A validation failure's list as pydantic writes it (Mistral, servers built on FastAPI), each item
 * `{loc, msg}`: "body.stream_options: Extra inputs are not permitted", so the client sees why.
 */
function validationFailures(detail: unknown): string | undefined {
  if (!Array.isArray(detail)) return undefined;
  const failures: string[] = [];
  for (const item of detail) {
    if (!isObject(item) || typeof item.msg !== "string") continue;
    failures.push(Array.isArray(item.loc) && item.loc.length ? `${item.loc.join(".")}: ${item.msg}` : item.msg);
  }
  return failures.length ? failures.join("; ") : undefined;
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
