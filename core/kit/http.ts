// The two HTTP steps every provider takes with its vendor, written once.

import { errors, isSwitchyardError } from "../errors.ts";
import type { Kit } from "./kit.ts";

export interface KitHttp {
  /**
   * `kit.fetch`, with a network failure as a retryable `upstream` error, "could not reach
   * <label>: <reason>" (label: the URL's host by default). A failure after `init.signal` aborted
   * is rethrown as it is: the gateway aborted the call and already knows why. Unlike `kit.fetch`,
   * it waits on a silent vendor as long as the endpoint's timeouts allow, not the runtime's five minutes.
   */
  send(url: string, init: RequestInit, label?: string): Promise<Response>;
  /** A response's body as JSON when it parses, else its text ("" when it cannot be read). */
  body(response: Response): Promise<unknown>;
  /**
   * Whether `send` copies a byte body before it returns, as Bun's own fetch does: then a provider
   * may hand it a buffer that it reuses for the next request (see the wire codecs' `requestBody`).
   */
  copiesBodies(): boolean;
}

const runtimeFetch = globalThis.fetch;
/**
 * Bun's own fetch. It copies a byte body before it returns (test/kit/fetch-copies-body.test.ts pins
 * that), so a provider whose kit sends with it may hand it a buffer reused for the next request.
 */
export const copyingFetch: typeof fetch = runtimeFetch.bind(globalThis);

/** A new kit's fetch: Bun's own, unless something (a test) replaced `globalThis.fetch` first. */
export function defaultFetch(): typeof fetch {
  return globalThis.fetch === runtimeFetch ? copyingFetch : globalThis.fetch.bind(globalThis);
}

/**
 * `send` for a kit: reads `kit.fetch` on each call, so the kit's final fetch is the one used. Bun's
 * fetch drops a connection that has been silent for about five minutes, whatever the signal says;
 * a vendor thinking before its first byte can be, and an endpoint's own timeouts bound the call,
 * so `timeout: false` lifts the runtime's limit.
 */
export async function send(kit: Pick<Kit, "fetch" | "errors">, url: string, init: RequestInit, label?: string): Promise<Response> {
  try {
    return await kit.fetch(url, { ...init, timeout: false } as RequestInit);
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    // Bun's own advice to its caller (pass `verbose: true` to fetch) is for us, not for the client.
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\s*For more information, pass `verbose: true`.*$/s, "");
    throw kit.errors.upstream(`could not reach ${label ?? new URL(url).host}: ${reason}`, {
      cause,
      retryable: true,
    });
  }
}

/** The most of a vendor's answer (or error page) read: no chat answer comes near it, and one that never ends must not hold the process's memory. */
export const MOST_VENDOR_BODY = 64 * 1024 * 1024;

export async function readBody(response: Response): Promise<unknown> {
  const declared = response.headers.get("content-length");
  const text = declared !== null && Number(declared) <= MOST_VENDOR_BODY ? await response.text().catch(() => "") : await boundedText(response);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A body of no declared length (or one declared too long), read up to MOST_VENDOR_BODY: past it, a retryable upstream error. */
async function boundedText(response: Response): Promise<string> {
  const tooLong = () => errors.upstream(`the vendor's answer passed ${MOST_VENDOR_BODY / 1024 / 1024} MB unfinished`, { retryable: true });
  try {
    return await readBounded(response.body, MOST_VENDOR_BODY, tooLong);
  } catch (error) {
    if (isSwitchyardError(error)) throw error;
    return ""; // as response.text() failing: nothing that can be read
  }
}

/**
 * A body read up to `limit` bytes, for one of no declared length: past them the rest is left unread
 * and `tooLong()` thrown. Decoded as `text()` decodes: UTF-8, a byte-order mark dropped, a
 * malformed sequence replaced; one read (a short body) needs no joining.
 */
export async function readBounded(body: ReadableStream<Uint8Array> | null, limit: number, tooLong: () => Error): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw tooLong();
    }
    chunks.push(value);
  }
  return UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

const UTF8 = new TextDecoder();
