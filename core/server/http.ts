// HTTP plumbing shared by the routes: request ids, client keys, bounded JSON bodies, error bodies
// and the x-switchyard-* headers.

import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import type { TSchema } from "@sinclair/typebox";
import { errors, isSwitchyardError, SwitchyardError } from "../errors.ts";
import { clientGone } from "../gateway/attempt.ts";
import type { Served } from "../gateway/pipeline.ts";
import { readBounded } from "../kit/http.ts";
import { encodeError } from "../wire/anthropic/errors.ts";

const ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const RANDOM_CHARS = 14;
const IDS_PER_REFILL = 64;
const random = new Uint8Array(RANDOM_CHARS * IDS_PER_REFILL);
/** Random characters for the next ids, drawn in one batch: one slice per id instead of 14 appends. */
let randomText = "";
let randomAt = 0;
let lastMs = -1;
let timePart = "";

/**
 * OpenRouter-style generation id: the response's `id` and the key of `GET /v1/generation`. It
 * starts with the time (fixed width, so ids sort by creation and ledger inserts land at the end
 * of the primary-key index instead of at random pages) and ends with 14 random characters.
 */
export function newRequestId(): string {
  if (randomAt === randomText.length) {
    crypto.getRandomValues(random);
    let text = "";
    for (const byte of random) text += ID_ALPHABET[byte % ID_ALPHABET.length];
    randomText = text;
    randomAt = 0;
  }
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    timePart = `gen-${now.toString(36).padStart(9, "0")}`;
  }
  return timePart + randomText.slice(randomAt, (randomAt += RANDOM_CHARS));
}

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(headers: Headers): string | null {
  // The header is trimmed and `\s+` takes every space after the scheme: the token has none to trim.
  const match = /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "");
  return match ? match[1]! : null;
}

/** The key a client sent: `Authorization: Bearer <key>` (OpenAI clients) or `x-api-key` (Anthropic's). */
export function clientKey(headers: Headers): string | null {
  return bearerToken(headers) ?? (headers.get("x-api-key")?.trim() || null);
}

/**
 * Reads a JSON body no larger than `limit` bytes: a declared length is checked before reading, a
 * body of no declared length (chunked) as it is read, so a body past the limit is a 413 with an
 * error body however large it is, and is never held whole. Returns the text too: a provider
 * speaking the client's dialect may forward it as it came.
 */
export async function readJson(request: Request, limit: number): Promise<{ text: string; json: unknown }> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw errors.payloadTooLarge(limit);
  // A compressed body would be read as garbled JSON: said plainly instead.
  const encoding = request.headers.get("content-encoding");
  if (encoding && encoding.toLowerCase() !== "identity") {
    throw new SwitchyardError("bad_request", `a body with Content-Encoding ${encoding} is not accepted: send it uncompressed`, { status: 415 });
  }
  let text: string;
  try {
    text = declared !== null ? await request.text() : await readBounded(request.body, limit, () => errors.payloadTooLarge(limit));
  } catch (error) {
    if (isSwitchyardError(error)) throw error;
    // The client went away before its body came whole: its own doing, a 499, not the gateway's 500.
    throw request.signal.aborted ? clientGone() : errors.badRequest(`the request body could not be read: ${(error as Error).message}`);
  }
  if (text.length === 0) throw errors.badRequest("the request body is empty; expected a JSON object");
  try {
    return { text, json: JSON.parse(text) };
  } catch (error) {
    throw errors.badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
}


/** A TypeBox validator compiled once, whose failure names the first offending field. */
export function bodyValidator<T extends TSchema>(schema: T): (value: unknown) => void {
  const check: TypeCheck<T> = TypeCompiler.Compile(schema);
  return (value) => {
    if (check.Check(value)) return;
    const first = check.Errors(value).First();
    const field = first?.path ? first.path.slice(1).replaceAll("/", ".") : "body";
    throw errors.invalidField(field || "body", first?.message ?? "does not match the schema");
  };
}

/** Outside printable ASCII: what a header value cannot carry as it is. */
const UNSENDABLE = /[^\x20-\x7e]/;

/**
 * A config's name as a header value: model ids are free-form (`modèle-中文`), and a header carries
 * bytes, not text: anything past printable ASCII goes percent-encoded, where it failed the whole
 * response (a 500 after the vendor answered, and was charged).
 */
function headerValue(name: string): string {
  return UNSENDABLE.test(name) ? encodeURIComponent(name) : name;
}

export function servedHeaders(id: string, served: Served | null, dialect?: string): Record<string, string> {
  const headers: Record<string, string> = {
    "x-request-id": id,
    "x-switchyard-route": served?.route ? headerValue(served.route) : "none",
    "x-switchyard-model": served?.model ? headerValue(served.model) : "none",
    "x-switchyard-provider": served?.provider ? headerValue(served.provider) : "none",
    "x-switchyard-attempts": String(served?.attempts.length ?? 0),
  };
  if (served) headers["x-switchyard-overhead-ms"] = served.overheadMs.toFixed(3);
  // Anthropic's SDKs read the id from its own header (`message._request_id`, an error's `requestID`).
  if (dialect === "anthropic") headers["request-id"] = id;
  return headers;
}

/**
 * `headers` of a request refused before its body was read (a wrong key, a spent rate limit), with
 * the connection closed after the answer when a body was coming: keeping it would mean reading and
 * discarding up to the body limit, or holding a socket for a client that never sends the body.
 */
export function refusedBeforeBody(headers: Record<string, string>, request: Request): Record<string, string> {
  const length = request.headers.get("content-length");
  if ((length !== null && length !== "0") || request.headers.has("transfer-encoding")) headers.connection = "close";
  return headers;
}

/** The headers of a response that no route served (models, health, admin, errors before routing). */
export function plainHeaders(): Record<string, string> {
  return servedHeaders(newRequestId(), null);
}

export function toGatewayError(error: unknown): SwitchyardError {
  return isSwitchyardError(error) ? error : errors.internal("internal error", error);
}

/** A JSON route off the chat path (account, admin): the handler's value, or its error, with plain headers. */
export function jsonRoute(handler: (request: Request, params: Record<string, string>) => Promise<unknown>) {
  return async ({ request, params }: { request: Request; params?: Record<string, string> }) => {
    const headers = plainHeaders();
    try {
      return Response.json(await handler(request, params ?? {}), { headers });
    } catch (error) {
      return errorResponse(toGatewayError(error), headers);
    }
  };
}

/** The error body: OpenAI's shape (the Responses API's too), and on /v1/messages Anthropic's as well (both parse it). */
export function errorResponse(
  error: SwitchyardError,
  headers: Record<string, string>,
  dialect: "openai" | "responses" | "anthropic" = "openai",
): Response {
  const body = error.toJSON() as { error: Record<string, unknown>; type?: string };
  if (dialect === "anthropic") {
    // The status stays DESIGN.md's (502, 503) where Anthropic would say 529: its type says overloaded.
    const encoded = encodeError(error).error;
    body.type = "error";
    body.error.type = encoded.type;
    if (encoded.details !== undefined) body.error.details = encoded.details;
  }
  const extra: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) extra["retry-after"] = String(Math.ceil(error.retryAfterMs / 1000));
  return Response.json(body, { status: error.status, headers: { ...headers, ...extra } });
}
