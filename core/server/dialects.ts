// The client dialects, as the ingress sees them: OpenAI Chat Completions (with OpenRouter's
// extras), OpenAI's Responses API and Anthropic Messages. Validators are compiled once, here.

import type { ProviderPreferences } from "../dispatch/index.ts";
import { errors } from "../errors.ts";
import { CLIENT_BODY, type ChatRequest } from "../kit/canonical.ts";
import * as anthropic from "../wire/anthropic/index.ts";
import * as openai from "../wire/openai/index.ts";
import * as responses from "../wire/responses/index.ts";
import { bodyValidator } from "./http.ts";
import type { Dialect } from "./ingress.ts";

const { invalidField } = errors;

const validateChat = bodyValidator(openai.ChatCompletionBody);

export const openaiDialect: Dialect = {
  name: "openai",
  validate(body) {
    // OpenRouter takes `models` alone, its first the model asked for (its model-fallback guide's example).
    const fields = body as { model?: unknown; models?: unknown } | null;
    if (fields && typeof fields === "object" && fields.model === undefined && Array.isArray(fields.models) && typeof fields.models[0] === "string") {
      fields.model = fields.models[0];
    }
    validateChat(body);
  },
  decode(body, text) {
    refuseUnserved(body as Record<string, unknown>);
    const decoded = openai.decodeRequest(body as openai.ChatCompletionBody);
    if (text !== undefined) decoded.request[CLIENT_BODY] = { dialect: "openai", text, json: body as Record<string, unknown> };
    return { request: decoded.request, models: decoded.models, provider: preferences(decoded.provider), includeUsage: decoded.includeUsage };
  },
  encodeResponse: (response, info) => openai.encodeResponse(response, info),
  streamEncoder: (info) => new openai.StreamEncoder(info),
};

/**
 * The Responses API, stateless: the whole conversation comes in `input`, and each answer is made
 * by whichever vendor the route picks, as a chat's is. Its usage always comes with the response.
 */
export const responsesDialect: Dialect = {
  name: "responses",
  validate: bodyValidator(responses.ResponsesBody),
  decode(body) {
    refuseUnpricedTier(body as Record<string, unknown>);
    return { request: responses.decodeRequest(body as responses.ResponsesBody), includeUsage: true };
  },
  encodeResponse: (response, info) => responses.encodeResponse(response, { ...info, created: response.created || Math.floor(Date.now() / 1000) }),
  streamEncoder: (info) => new responses.StreamEncoder(info),
};

export const anthropicDialect: Dialect = {
  name: "anthropic",
  validate: bodyValidator(anthropic.MessagesBody),
  decode(body, text, headers) {
    refuseUnpricedMessages(body as Record<string, unknown>);
    const decoded = anthropic.decodeRequest(body as Parameters<typeof anthropic.decodeRequest>[0], anthropicBetas(headers));
    if (text !== undefined) decoded.request[CLIENT_BODY] = { dialect: "anthropic", text, json: body as Record<string, unknown> };
    return { request: decoded.request, includeUsage: true };
  },
  encodeResponse: (response, info) => anthropic.encodeResponse(response, info),
  streamEncoder: (info) => new anthropic.StreamEncoder(info),
};

/** POST /v1/messages/count_tokens: a Messages body without its output cap, decoded as a chat's. */
export const anthropicCount = {
  validate: bodyValidator(anthropic.CountTokensBody),
  decode: (body: unknown, headers: Headers): ChatRequest => anthropic.decodeRequest(body as anthropic.MessagesBody, anthropicBetas(headers)).request,
};

/**
 * What the client asked for that the answer cannot carry back (several choices, log probabilities,
 * audio, the deprecated function calls) or that the ledger cannot price (a service tier other than
 * the standard one, web search): refused, the field named, rather than served without it. OpenAI's
 * own steering fields go on to the vendors that take them (OPENAI_FIELDS); fields we do not know
 * at all are let through the validator and left out.
 */
function refuseUnserved(body: Record<string, unknown>): void {
  if (body.n != null && body.n !== 1) throw invalidField("n", "the gateway answers with one choice; leave `n` out or send 1");
  if (body.logprobs === true) throw invalidField("logprobs", "log probabilities are not relayed; leave it out or send false");
  if (body.audio != null) throw invalidField("audio", AUDIO_OUTPUT);
  if (body.web_search_options != null) {
    throw invalidField("web_search_options", "web searches are billed per call, which the gateway cannot price, and their citations are not relayed; leave it out");
  }
  // OpenRouter's own plugins (web search, PDF parsing, response healing) are its service, not a vendor's.
  if (Array.isArray(body.plugins) && body.plugins.length > 0) {
    throw invalidField("plugins", "OpenRouter's plugins (web search, file parsing) are not served here, and the model would answer without them; leave it out");
  }
  if (Array.isArray(body.modalities) && body.modalities.some((modality) => modality !== "text")) throw invalidField("modalities", AUDIO_OUTPUT);
  refuseUnpricedTier(body);
  for (const field of FUNCTION_FIELDS) {
    if (body[field] != null) throw invalidField(field, "the deprecated function-calling fields are not relayed; send `tools` and `tool_choice`");
  }
}

/** A service tier other than the standard one costs another price than the config gives. */
function refuseUnpricedTier(body: Record<string, unknown>): void {
  if (body.service_tier != null && !STANDARD_TIERS.has(body.service_tier as string)) {
    throw invalidField("service_tier", "the gateway prices the standard tier only; leave it out or send auto or default");
  }
}

const AUDIO_OUTPUT = "only text answers are relayed; leave out audio output";
/** Chat Completions' deprecated function calling, which `tools` replaced. */
const FUNCTION_FIELDS = ["functions", "function_call"];

/**
 * What Anthropic prices apart from the config's prices (fast mode, inference held to one region):
 * refused, the field named, rather than served at a price the ledger would not charge, or served
 * without it.
 */
function refuseUnpricedMessages(body: Record<string, unknown>): void {
  // A thread is a conversation Anthropic keeps between requests, which a gateway that routes each
  // turn anew cannot: refused as Anthropic refuses a thread it cannot serve, by the code the SDKs'
  // tool runner reads to send the whole conversation instead.
  if (body.thread != null && body.thread !== false) {
    throw errors.badRequest("invalid field `thread`: the gateway keeps no conversation between requests; send the whole conversation without `thread`", {
      field: "thread",
      details: { error_code: "thread_unsupported_request", unsupported: ["thread"] },
    });
  }
  if (body.speed != null && body.speed !== "standard") throw invalidField("speed", "a faster mode is priced apart from the config's prices; leave it out");
  if (body.inference_geo != null && body.inference_geo !== "global") {
    throw invalidField("inference_geo", "inference held to one region is priced apart from the config's prices; leave it out");
  }
}

/** Beta features Anthropic prices apart: a context past 200K tokens, the faster mode. */
const UNPRICED_BETAS = ["context-1m-", "fast-mode-"];
/** Anthropic's own sign-in: the gateway calls Anthropic with its provider's key instead. */
const SIGN_IN_BETA = "oauth-";

/**
 * The beta features an Anthropic client's `anthropic-beta` header turns on, to go to Anthropic
 * with the fields that need them; one priced apart is refused, as its field would be.
 */
function anthropicBetas(headers: Headers | undefined): string[] | undefined {
  const header = headers?.get("anthropic-beta");
  if (!header) return undefined;
  const betas: string[] = [];
  for (const part of header.split(",")) {
    const beta = part.trim();
    if (!beta || beta.startsWith(SIGN_IN_BETA)) continue;
    if (UNPRICED_BETAS.some((prefix) => beta.startsWith(prefix))) {
      throw errors.badRequest(`invalid header \`anthropic-beta\`: ${beta} is priced apart from the config's prices; leave it out`, { field: "anthropic-beta" });
    }
    betas.push(beta);
  }
  return betas.length ? betas : undefined;
}

/** Service tiers billed at the standard price, the one the config's prices are. */
const STANDARD_TIERS = new Set(["auto", "default"]);

const SORTS = ["price", "throughput", "latency"] as const;

/** OpenRouter's `provider` object, with `sort` checked against the orders we implement. */
function preferences(raw: openai.DecodedRequest["provider"]): ProviderPreferences | undefined {
  if (!raw) return undefined;
  const { sort: given, ...rest } = raw;
  const sort = typeof given === "object" ? given.by : given;
  if (sort !== undefined && !SORTS.includes(sort as (typeof SORTS)[number])) {
    throw invalidField("provider.sort", `expected one of ${SORTS.join(", ")}`);
  }
  return { ...rest, ...(sort ? { sort: sort as ProviderPreferences["sort"] } : {}) };
}
