// The one error class of the gateway: a closed set of codes, each with its HTTP status.

export const ERROR_STATUS = {
  bad_request: 400,
  context_length_exceeded: 400,
  unauthorized: 401,
  insufficient_credit: 402,
  forbidden: 403,
  not_found: 404,
  no_route: 404,
  timeout: 408,
  payload_too_large: 413,
  rate_limited: 429,
  /** Nginx's status for a client that closed its connection: no one reads the answer, the ledger does. */
  client_closed: 499,
  internal: 500,
  plugin_failed: 500,
  upstream_error: 502,
  no_endpoint: 503,
  /** The gateway's own database cannot be reached: a key or a balance cannot be checked. */
  storage_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** OpenAI-style `error.type` for each code, so SDKs map them to their own exception classes. */
const ERROR_TYPE: Record<ErrorCode, string> = {
  bad_request: "invalid_request_error",
  context_length_exceeded: "invalid_request_error",
  unauthorized: "authentication_error",
  insufficient_credit: "insufficient_quota",
  forbidden: "permission_error",
  not_found: "not_found_error",
  no_route: "not_found_error",
  timeout: "timeout_error",
  payload_too_large: "invalid_request_error",
  rate_limited: "rate_limit_error",
  client_closed: "invalid_request_error",
  internal: "server_error",
  plugin_failed: "server_error",
  upstream_error: "upstream_error",
  no_endpoint: "service_unavailable",
  storage_unavailable: "service_unavailable",
};

export type ErrorMetadata = { [key: string]: unknown };

export interface ErrorOptions {
  cause?: unknown;
  metadata?: ErrorMetadata;
  /** Upstream status, when the error came from a vendor. */
  upstreamStatus?: number;
  /** How long the vendor asked us to wait before calling this endpoint again. */
  retryAfterMs?: number;
  /** Whether trying another candidate endpoint may succeed where this one failed. */
  retryable?: boolean;
  /** Overrides the status implied by the code (a vendor's own 4xx passed through, for instance). */
  status?: number;
}

const BRAND = Symbol.for("switchyard.error");

export class SwitchyardError extends Error {
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly metadata: ErrorMetadata | undefined;
  readonly upstreamStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SwitchyardError";
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.metadata = options.metadata;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? false;
  }

  get type(): string {
    return ERROR_TYPE[this.code];
  }

  /** The OpenAI error shape every endpoint answers with. */
  toJSON(): { error: { message: string; type: string; code: ErrorCode; metadata?: ErrorMetadata } } {
    const error: { message: string; type: string; code: ErrorCode; metadata?: ErrorMetadata } = {
      message: this.message,
      type: this.type,
      code: this.code,
    };
    if (this.metadata) error.metadata = this.metadata;
    return { error };
  }
}

/** True for any Switchyard error, even one built by another copy of this module (a hot-loaded plugin's). */
/** What an error (or anything thrown) says, for a message or a log line. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isSwitchyardError(value: unknown): value is SwitchyardError {
  return typeof value === "object" && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
}

export const errors = {
  badRequest: (message: string, metadata?: ErrorMetadata) => new SwitchyardError("bad_request", message, { metadata }),
  /** The 400 naming a field of the body the gateway will not take, and why. */
  invalidField: (field: string, why: string) => errors.badRequest(`invalid field \`${field}\`: ${why}`, { field }),
  unauthorized: (message = "missing or invalid API key") => new SwitchyardError("unauthorized", message),
  forbidden: (message: string) => new SwitchyardError("forbidden", message),
  insufficientCredit: (message: string, metadata?: ErrorMetadata) =>
    new SwitchyardError("insufficient_credit", message, { metadata }),
  notFound: (message: string) => new SwitchyardError("not_found", message),
  noRoute: (message: string, metadata?: ErrorMetadata) => new SwitchyardError("no_route", message, { metadata }),
  timeout: (message: string, options: ErrorOptions = {}) =>
    new SwitchyardError("timeout", message, { retryable: true, ...options }),
  payloadTooLarge: (limit: number) =>
    new SwitchyardError("payload_too_large", `request body exceeds the ${limit}-byte limit`),
  rateLimited: (message: string, options: ErrorOptions = {}) =>
    new SwitchyardError("rate_limited", message, { retryable: true, ...options }),
  upstream: (message: string, options: ErrorOptions = {}) => new SwitchyardError("upstream_error", message, options),
  noEndpoint: (message: string, metadata?: ErrorMetadata) => new SwitchyardError("no_endpoint", message, { metadata }),
  storageUnavailable: (message: string, cause?: unknown) => new SwitchyardError("storage_unavailable", message, { cause }),
  internal: (message: string, cause?: unknown) => new SwitchyardError("internal", message, { cause }),
  pluginFailed: (plugin: string, hook: string, cause: unknown, options: { retryable?: boolean } = {}) =>
    new SwitchyardError(
      "plugin_failed",
      `plugin "${plugin}" failed in ${hook}: ${describe(cause)}`,
      { cause, metadata: { plugin, hook }, retryable: options.retryable },
    ),
  /** What a plugin hook threw: its own gateway error as it is, anything else as the plugin's failure. */
  fromPlugin: (plugin: string, hook: string, error: unknown): SwitchyardError =>
    isSwitchyardError(error) ? error : errors.pluginFailed(plugin, hook, error),
};

/**
 * Maps a vendor's HTTP failure to a gateway error. Decides retryability once, here, so every
 * provider plugin agrees on what moves a request on to the next candidate.
 */
export function fromUpstreamStatus(
  status: number,
  message: string,
  options: { retryAfterMs?: number; metadata?: ErrorMetadata; contextLength?: boolean; account?: boolean } = {},
): SwitchyardError {
  const base = { upstreamStatus: status, retryAfterMs: options.retryAfterMs, metadata: options.metadata };
  if (options.contextLength) return new SwitchyardError("context_length_exceeded", message, { ...base, retryable: true });
  // The vendor refused the gateway's account, whatever status it said it with (Anthropic's credit
  // balance and Google's invalid key come as 400s): another candidate may serve, as for a 401 or 402.
  if (options.account) return new SwitchyardError("upstream_error", message, { ...base, retryable: true });
  if (status === 408) return new SwitchyardError("timeout", message, { ...base, retryable: true });
  if (status === 429) return new SwitchyardError("rate_limited", message, { ...base, retryable: true });
  // 401/403/402: the gateway's own upstream account is at fault (key, permissions, billing); 404:
  // that vendor lacks the model; 5xx: the vendor failed. Another candidate may serve in each case.
  if (status >= 500 || status === 401 || status === 402 || status === 403 || status === 404) {
    return new SwitchyardError("upstream_error", message, { ...base, retryable: true });
  }
  // Other 4xx: the request itself is wrong; another vendor would refuse it too.
  return new SwitchyardError("bad_request", message, { ...base, status: 400, retryable: false });
}

/** Parses a `retry-after` header (seconds or HTTP date) or `retry-after-ms` into milliseconds. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
