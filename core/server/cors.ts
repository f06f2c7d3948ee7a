// CORS for browser clients, for the origins `server.cors` names (none by default: no header is
// added, and a preflight gets the path's 404 or 405). A browser sends its preflight
// (OPTIONS) before a POST with a key or JSON; the gateway answers it for every path, and adds the
// allowed origin to every answer, errors and streams included.

import { errors, type SwitchyardError } from "../errors.ts";

/** Response headers a browser script may read: the request id and where the request went. */
const EXPOSED = "x-request-id, x-switchyard-route, x-switchyard-model, x-switchyard-provider, x-switchyard-attempts, x-switchyard-overhead-ms, retry-after";

/** The Access-Control-Allow-Origin value for `request`, or null: no CORS configured, no Origin, or one not allowed. */
export function allowedOrigin(origins: readonly string[], request: Request): string | null {
  if (origins.length === 0) return null;
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  if (origins.includes("*")) return "*";
  return origins.includes(origin) ? origin : null;
}

/**
 * The 403 for a browser page from an origin `server.cors` does not list (`allowed`, as
 * allowedOrigin found it, is null), asking for something other than a read; else null. Such a page is refused a preflight, but a form's POST (a "simple"
 * request, text/plain) needs none: without this a page the operator visits could spend the
 * gateway's vendor credit through a gateway with no auth, or with a rebound DNS name read the answer.
 * Browsers send Origin on every POST; other clients send none, and are not concerned.
 */
export function refusedOrigin(allowed: string | null, request: Request): SwitchyardError | null {
  if (allowed !== null || request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return null;
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  return errors.forbidden(`a browser page from ${JSON.stringify(origin)} may not call the gateway: list its origin under server.cors`);
}

/** `response` with the headers that let a script from `origin` read it. */
export function withCors(response: Response, origin: string): Response {
  response.headers.set("access-control-allow-origin", origin);
  response.headers.set("access-control-expose-headers", EXPOSED);
  if (origin !== "*") response.headers.append("vary", "Origin");
  return response;
}

/** The answer to a preflight from an allowed origin: the methods the gateway serves, the headers the page asked to send. */
export function preflight(request: Request, origin: string): Response {
  const headers: Record<string, string> = {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST",
    "access-control-allow-headers": request.headers.get("access-control-request-headers") ?? "authorization, content-type",
    "access-control-max-age": "600",
  };
  if (origin !== "*") headers.vary = "Origin";
  return new Response(null, { status: 204, headers });
}
