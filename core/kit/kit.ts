// The plugin kit: runtime helpers the host hands to every plugin, so a plugin file needs no
// node_modules of its own (it runs inside the single binary) and no Bun-only globals.

import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { DURATION_PATTERN, durationMs } from "../duration.ts";
import { HTTP_URL_PATTERN } from "../url.ts";
import { errors, fromUpstreamStatus, isSwitchyardError, parseRetryAfter, SwitchyardError } from "../errors.ts";
import { documentText, formatInstruction, isStream, latestUserText } from "./canonical.ts";
import { copyingFetch, defaultFetch, readBody, send, type KitHttp } from "./http.ts";
import type { ChatRequest, ChatResponse } from "./canonical.ts";
import type { Principal } from "./plugin.ts";
import { decodeSse, formatSse, readSse } from "./sse.ts";
import * as anthropicWire from "../wire/anthropic/index.ts";
import * as openaiWire from "../wire/openai/index.ts";
import * as responsesWire from "../wire/responses/index.ts";

export interface KitLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Lets a plugin (the `llm` classifier, say) call a model through the gateway's own providers, metered. */
export interface KitGateway {
  complete(publicModel: string, request: Omit<ChatRequest, "model" | "stream">, signal: AbortSignal): Promise<ChatResponse>;
}

/** What the `api-keys` auth plugin needs of the ledger: find a key by the secret a client sent. */
export interface KitKeyStore {
  /**
   * The key's principal, or null when no such key exists or it is disabled: at once when the key
   * was checked within the last second, else a promise of it.
   */
  verify(secret: string): Principal | null | Promise<Principal | null>;
}

export interface Kit {
  /** TypeBox's builder, for settings schemas. */
  Type: typeof Type;
  Value: typeof Value;
  fetch: typeof fetch;
  /** Calls to a vendor through `fetch`: network failures as gateway errors, error bodies read. */
  http: KitHttp;
  sse: { read: typeof readSse; decode: typeof decodeSse; format: typeof formatSse };
  errors: typeof errors;
  SwitchyardError: typeof SwitchyardError;
  isError: typeof isSwitchyardError;
  fromUpstreamStatus: typeof fromUpstreamStatus;
  parseRetryAfter: typeof parseRetryAfter;
  isStream: typeof isStream;
  latestUserText: typeof latestUserText;
  /** A plain-text document as text, for a vendor that has no text documents: its title, then its text. */
  documentText: typeof documentText;
  /** A response format (JSON object, JSON schema) as an instruction, for a vendor with no JSON mode; undefined for plain text. */
  formatInstruction: typeof formatInstruction;
  /** Durations written as the config writes them (`250ms`, `2s`): the settings `pattern`, and their milliseconds. */
  duration: { pattern: string; ms: typeof durationMs };
  /** An http:// or https:// URL (a vendor's API root): the settings `pattern`, whose mismatch the config names as such. */
  url: { pattern: string };
  /** SHA-256 of a text's UTF-8, at once (Web Crypto's is a promise): for an auth plugin comparing keys by their digests. */
  sha256(text: string): Uint8Array;
  /** Codecs of the OpenAI (Chat Completions and Responses) and Anthropic wire formats, shared by ingress and providers. */
  wire: { openai: typeof openaiWire; responses: typeof responsesWire; anthropic: typeof anthropicWire };
  log: KitLogger;
  now(): number;
  /** Present when the host can route a plugin's own model calls (set after the table compiles). */
  gateway?: KitGateway;
  /** Present when storage is configured: the key store of the ledger. */
  keys?: KitKeyStore;
}

const silent: KitLogger = { info() {}, warn() {}, error() {} };

export function createKit(overrides: Partial<Kit> = {}): Kit {
  const kit: Kit = {
    Type,
    Value,
    fetch: defaultFetch(),
    // Bound to the finished kit, so an overriding fetch (a test's) is the one it calls.
    http: { send: (url, init, label) => send(kit, url, init, label), body: readBody, copiesBodies: () => kit.fetch === copyingFetch },
    sse: { read: readSse, decode: decodeSse, format: formatSse },
    errors,
    SwitchyardError,
    isError: isSwitchyardError,
    fromUpstreamStatus,
    parseRetryAfter,
    isStream,
    latestUserText,
    documentText,
    formatInstruction,
    duration: { pattern: DURATION_PATTERN, ms: durationMs },
    url: { pattern: HTTP_URL_PATTERN },
    sha256: (text) => Bun.SHA256.hash(text) as Uint8Array,
    wire: { openai: openaiWire, responses: responsesWire, anthropic: anthropicWire },
    log: silent,
    now: Date.now,
    ...overrides,
  };
  return kit;
}
