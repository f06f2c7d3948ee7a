// Anthropic error bodies ⇄ gateway errors: vendor failures in, our failures out in Anthropic's shape.

import { fromUpstreamStatus, parseRetryAfter, SwitchyardError, type ErrorCode } from "../../errors.ts";

const ERROR_TYPE: Record<ErrorCode, string> = {
  bad_request: "invalid_request_error",
  context_length_exceeded: "invalid_request_error",
  unauthorized: "authentication_error",
  insufficient_credit: "billing_error",
  forbidden: "permission_error",
  not_found: "not_found_error",
  no_route: "not_found_error",
  timeout: "timeout_error",
  payload_too_large: "request_too_large",
  rate_limited: "rate_limit_error",
  client_closed: "invalid_request_error",
  internal: "api_error",
  plugin_failed: "api_error",
  upstream_error: "api_error",
  no_endpoint: "overloaded_error",
  storage_unavailable: "api_error",
};

/** The `{type: "error", error: {type, message}}` body Anthropic clients expect. */
export function encodeError(error: SwitchyardError): { type: "error"; error: { type: string; message: string; details?: unknown } } {
  const type = error.code === "upstream_error" && error.upstreamStatus === 529 ? "overloaded_error" : ERROR_TYPE[error.code];
  // `details.error_code` names a refusal the SDKs act on (a thread the gateway cannot keep).
  const details = error.metadata?.details;
  return { type: "error", error: { type, message: error.message, ...(details !== undefined ? { details } : {}) } };
}

/** Statuses of the error types that arrive inside a stream (`event: error`), where there is no HTTP status. */
export const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const CONTEXT_LENGTH = /prompt is too long|exceeds? the context window/i;
/** Anthropic's 400 for an account out of credit: the account's problem, not the request's. */
const NO_CREDIT = /credit balance is too low/i;

function errorFields(body: unknown): { type?: string; message?: string } {
  if (typeof body === "string") return { message: body };
  const inner = (body as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  if (!inner || typeof inner !== "object") return {};
  return {
    ...(typeof inner.type === "string" ? { type: inner.type } : {}),
    ...(typeof inner.message === "string" ? { message: inner.message } : {}),
  };
}

/** A failed Anthropic call as a gateway error; 529 (overloaded) is a retryable upstream error. */
export function decodeError(status: number, body: unknown, headers: Headers): SwitchyardError {
  const { type, message } = errorFields(body);
  const text = message ?? `Anthropic returned HTTP ${status}`;
  const options: { retryAfterMs?: number; metadata: Record<string, unknown>; contextLength?: boolean } = {
    metadata: { provider: "anthropic", status, ...(type ? { type } : {}), raw: body },
  };
  const retryAfterMs = parseRetryAfter(headers);
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  if (status === 400 && CONTEXT_LENGTH.test(text)) options.contextLength = true;
  return fromUpstreamStatus(status, text, { ...options, account: status === 400 && NO_CREDIT.test(text) });
}
