// Chat Completions request bodies ⇄ canonical ChatRequest, both directions in one place.

import { errors } from "../../errors.ts";
import {
  documentText,
  EFFORTS,
  type ChatRequest,
  type Effort,
  type ContentPart,
  type DocumentSource,
  type ImageSource,
  type Message,
  type ReasoningOptions,
  type ResponseFormat,
  type ToolChoice,
  type ToolDefinition,
} from "../../kit/canonical.ts";
import { decodeCacheControl, encodeCacheControl, type CacheControlField } from "../cache-control.ts";
import { OPENAI_FORWARD, vendorBody } from "../forward.ts";
import { ownFields } from "../own-fields.ts";
import { fittedToolId, idHash } from "../tool-ids.ts";
import { modelEffort, MOST_STOPS, openaiUser, samples } from "./model-settings.ts";
import type { ChatCompletionBody, ContentPartBody, MessageBody, ProviderPreferences } from "./schema.ts";
import { RESPONSES_STEERING_FIELD_NAMES } from "./schema.ts";

export interface DecodedRequest {
  /** `model` is the public model the client named. */
  request: ChatRequest;
  models?: string[];
  provider?: ProviderPreferences;
  includeUsage: boolean;
}

export interface EncodeRequestOptions {
  /** Ask for the usage chunk when streaming. */
  includeUsage?: boolean;
  /** OpenAI's reasoning models want `max_completion_tokens`; most compatible vendors `max_tokens`. */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /**
   * Where to send back an assistant turn's reasoning. Omitted by default: OpenAI refuses unknown
   * message fields and some vendors refuse their own reasoning field on input.
   */
  reasoningField?: "reasoning_content" | "reasoning";
  /** OpenAI itself: leave out fields only compatible vendors take (`top_k`, a reasoning token budget). */
  openaiOnly?: boolean;
  /** Mistral takes only tool ids of nine letters and digits; others take OpenAI's (at most 40 characters). */
  toolIds?: "mistral";
  /**
   * Mistral's own API, which refuses any field it does not define (422 `extra_forbidden`): `seed`
   * goes as its `random_seed`, and what it has no field for (`user`, `top_k`, a reasoning token
   * budget) is left out. Pair with `includeUsage: false`: it refuses `stream_options` too.
   */
  flavour?: "mistral";
  /** Send the request's OpenAI-only fields (OPENAI_FIELDS): for OpenAI itself and vendors that take them. */
  openaiFields?: boolean;
}

/**
 * Chat Completions fields that only steer OpenAI's own service and have no counterpart in another
 * dialect: kept as the client sent them and passed on to vendors that take them, left out for the
 * rest. None changes what a token costs: a tier other than the standard one is refused at the
 * ingress, and so is `web_search_options` (searches billed per call, which the gateway cannot
 * meter). What would change the answer's shape (audio output, the deprecated `functions`) is
 * refused at the ingress too: the answer could not carry it back.
 */
export const OPENAI_FIELDS = [
  "logit_bias",
  "metadata",
  "store",
  "service_tier",
  "prompt_cache_key",
  "prompt_cache_retention",
  "safety_identifier",
  "verbosity",
  "top_logprobs",
  "modalities",
  "prediction",
] as const;

/** A client's reasoning effort; one OpenAI does not list is a 400 naming the ones it does. */
export function decodeEffort(value: string, field: string): Effort {
  if ((EFFORTS as readonly string[]).includes(value)) return value as Effort;
  throw errors.invalidField(field, `"${value}" is not a reasoning effort; use one of ${EFFORTS.join(", ")}`);
}
const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

// ---- decode (client body → canonical) ----

export function decodeRequest(body: ChatCompletionBody): DecodedRequest {
  const request: ChatRequest = { model: body.model, messages: body.messages.map(decodeMessage), stream: body.stream === true };
  if (body.tools?.length) request.tools = body.tools.map(decodeTool);
  if (body.tool_choice !== undefined) request.toolChoice = decodeToolChoice(body.tool_choice);
  if (body.parallel_tool_calls !== undefined) request.parallelToolCalls = body.parallel_tool_calls;
  if (body.response_format) request.responseFormat = decodeResponseFormat(body.response_format);
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.top_k !== undefined) request.topK = body.top_k;
  if (body.presence_penalty !== undefined) request.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty !== undefined) request.frequencyPenalty = body.frequency_penalty;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  if (body.stop != null) request.stop = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.seed !== undefined) request.seed = body.seed;
  if (body.user !== undefined) request.user = body.user;
  const reasoning = decodeReasoning(body);
  if (reasoning) request.reasoning = reasoning;
  const openaiFields = ownFields(body, OPENAI_FIELDS);
  if (openaiFields) request.openaiFields = openaiFields;
  const decoded: DecodedRequest = {
    request,
    includeUsage: body.stream_options?.include_usage === true || body.usage?.include === true,
  };
  if (body.models?.length) decoded.models = body.models;
  if (body.provider) decoded.provider = body.provider;
  return decoded;
}

/** A message's content; `message` is its index, to name a part in a refusal. */
function decodeContent(content: string | ContentPartBody[] | null | undefined, message: number): ContentPart[] {
  if (content == null) return [];
  if (typeof content === "string") return [{ type: "text", text: content }];
  const parts: ContentPart[] = [];
  for (let at = 0; at < content.length; at++) {
    const part = content[at]!;
    if (part.type === "text" && "text" in part && typeof part.text === "string") {
      parts.push(withCacheControl({ type: "text", text: part.text }, part));
    } else if (part.type === "image_url" && "image_url" in part) {
      const { url, detail } = part.image_url as { url: string; detail?: "auto" | "low" | "high" };
      const image: ContentPart = { type: "image", source: imageSource(url) };
      if (detail) image.detail = detail;
      parts.push(image);
    } else if (part.type === "refusal" && "refusal" in part && typeof part.refusal === "string") {
      // An assistant's refusal is what it said: any vendor reads it back as its text.
      parts.push({ type: "text", text: part.refusal });
    } else {
      parts.push(decodeOtherPart(part, message, at));
    }
  }
  return parts;
}

/** `to` with the breakpoint `part` carries, if it carries one. */
function withCacheControl<T extends ContentPart>(to: T, part: ContentPartBody): T {
  const mark = decodeCacheControl((part as CacheControlField).cache_control);
  if (mark) to.cacheControl = mark;
  return to;
}

/**
 * A part neither text, image nor refusal: a file part is a document. Anything else the model
 * would have to hear or read (input audio, a part type we do not know) is refused, the part
 * named, rather than dropped unseen.
 */
function decodeOtherPart(part: ContentPartBody, message: number, at: number): ContentPart {
  if (part.type !== "file") {
    // A part of a type we read lacks its member of that name (`text`, `image_url`, `refusal`).
    if (OWN_MEMBER_PARTS.has(part.type)) throw errors.invalidField(`${partPath(message, at)}.${part.type}`, `a ${part.type} part needs its \`${part.type}\``);
    const why = part.type === "input_audio" ? "audio input is not relayed" : `a \`${part.type}\` part is not relayed`;
    throw errors.invalidField(`${partPath(message, at)}.type`, `${why}; send text, image_url or file parts`);
  }
  const file = (part as { file?: { file_data?: string; file_id?: string; filename?: string } }).file;
  if (typeof file?.file_data !== "string") {
    const why = file?.file_id !== undefined
      ? "a stored file's id names a file only the vendor holding it can read; send its content as `file_data` (a data: URL)"
      : "expected `file_data`, the file's content as a data: URL";
    throw errors.invalidField(`${partPath(message, at)}.file${file?.file_id !== undefined ? ".file_id" : ""}`, why);
  }
  const document: ContentPart = { type: "document", source: fileDataSource(file.file_data, file.filename) };
  if (file.filename !== undefined) document.title = file.filename;
  return withCacheControl(document, part);
}

/**
 * A file's content as a client sends it (a data: URL as OpenAI's guide does, a URL, or bare
 * base64 whose media type the file name tells, a PDF when it does not).
 */
export function fileDataSource(data: string, filename: string | undefined): DocumentSource {
  const match = DATA_URL.exec(data);
  if (match) return { kind: "base64", mediaType: match[1]!, data: match[2]! };
  if (/^https?:\/\//i.test(data)) return { kind: "url", url: data };
  return { kind: "base64", mediaType: mediaTypeOf(filename) ?? "application/pdf", data };
}

/** An image's or a file's source as OpenAI's APIs take it: its URL, or its data as a data: URL. */
export function sourceUrl(source: ImageSource | Exclude<DocumentSource, { kind: "text" }>): string {
  return source.kind === "url" ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

/** A document's file name, which OpenAI requires with a file's data: its title, else one its media type names. */
export function documentFilename(part: Extract<ContentPart, { type: "document" }>): string | undefined {
  return part.title ?? (part.source.kind === "base64" ? `document.${extensionOf(part.source.mediaType)}` : undefined);
}

/** An image's URL as a client sends it: a data: URL is the image itself, any other one is the vendor's to fetch. */
export function imageSource(url: string): ImageSource {
  const match = DATA_URL.exec(url);
  return match ? { kind: "base64", mediaType: match[1]!, data: match[2]! } : { kind: "url", url };
}

/** A part's place in the body, spelled out only for a refusal. */
function partPath(message: number, at: number): string {
  return `messages.${message}.content.${at}`;
}

const OWN_MEMBER_PARTS = new Set(["text", "image_url", "refusal"]);

const DOCUMENT_TYPES: Record<string, string> = { pdf: "application/pdf", txt: "text/plain", md: "text/markdown", csv: "text/csv", html: "text/html" };

function mediaTypeOf(filename: string | undefined): string | undefined {
  const extension = filename && /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  return extension ? DOCUMENT_TYPES[extension] : undefined;
}

function decodeMessage(message: MessageBody, index: number): Message {
  switch (message.role) {
    case "system":
    case "developer": {
      const system: Message = { role: "system", content: decodeContent(message.content, index) };
      if (message.role === "developer") system.developer = true;
      return system;
    }
    case "user": {
      const user: Message = { role: "user", content: decodeContent(message.content, index) };
      if (message.name !== undefined) user.name = message.name;
      return user;
    }
    case "assistant": {
      const assistant: Message = { role: "assistant", content: decodeContent(message.content, index) };
      if (message.tool_calls?.length) {
        assistant.toolCalls = message.tool_calls.map((call) => ({
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        }));
      }
      const reasoning = message.reasoning_content ?? message.reasoning;
      if (reasoning) assistant.reasoning = reasoning;
      return assistant;
    }
    case "tool":
      return { role: "tool", toolCallId: message.tool_call_id, content: decodeContent(message.content, index) };
  }
}

function decodeTool(tool: NonNullable<ChatCompletionBody["tools"]>[number]): ToolDefinition {
  const definition: ToolDefinition = { name: tool.function.name, parameters: tool.function.parameters ?? { type: "object", properties: {} } };
  if (tool.function.description !== undefined) definition.description = tool.function.description;
  if (tool.function.strict != null) definition.strict = tool.function.strict;
  return definition;
}

function decodeToolChoice(choice: NonNullable<ChatCompletionBody["tool_choice"]>): ToolChoice {
  return typeof choice === "string" ? choice : { name: choice.function.name };
}

function decodeResponseFormat(format: NonNullable<ChatCompletionBody["response_format"]>): ResponseFormat {
  if (format.type !== "json_schema" || !("json_schema" in format)) return { type: format.type === "json_object" ? "json_object" : "text" };
  const spec = format.json_schema;
  const decoded: ResponseFormat = { type: "json_schema", name: spec.name, schema: spec.schema ?? {} };
  if (spec.strict != null) decoded.strict = spec.strict;
  if (spec.description !== undefined) decoded.description = spec.description;
  return decoded;
}

function decodeReasoning(body: ChatCompletionBody): ReasoningOptions | undefined {
  const options: ReasoningOptions = {};
  if (body.reasoning_effort) options.effort = decodeEffort(body.reasoning_effort, "reasoning_effort");
  else if (body.reasoning?.effort) options.effort = decodeEffort(body.reasoning.effort, "reasoning.effort");
  if (body.reasoning?.max_tokens !== undefined) options.budgetTokens = body.reasoning.max_tokens;
  // OpenRouter's `enabled: true` alone asks for its default effort, medium.
  if (body.reasoning?.enabled === true && !options.effort && options.budgetTokens === undefined) options.effort = "medium";
  if (body.reasoning?.exclude === true || body.include_reasoning === false) options.exclude = true;
  return options.effort || options.budgetTokens !== undefined || options.exclude ? options : undefined;
}

// ---- encode (canonical → vendor body) ----

/**
 * The body for the vendor: the client's own Chat Completions text with the model swapped when it
 * says what our encoding says (see ../forward.ts), else our encoding serialised.
 */
export function requestBody(request: ChatRequest, options: EncodeRequestOptions, reusable = false): string | Uint8Array<ArrayBuffer> {
  return vendorBody(request, encodeRequest(request, options), OPENAI_FORWARD, reusable);
}

export function encodeRequest(request: ChatRequest, options: EncodeRequestOptions = {}): Record<string, unknown> {
  if (options.openaiOnly) refuseDocumentUrls(request);
  const toolId = options.toolIds === "mistral" ? mistralToolId : openaiToolId;
  const messages = encodeMessages(request.messages, options.reasoningField, toolId);
  // Prompt-cache breakpoints are OpenRouter's and Anthropic's: OpenAI refuses them as an unknown parameter.
  if (options.openaiOnly) withoutCacheMarks(messages);
  const body: Record<string, unknown> = { model: request.model, messages };
  // A tool choice and parallel calls go only with tools: OpenAI refuses them without ("only allowed when 'tools' are specified").
  if (request.tools?.length) {
    body.tools = request.tools.map(encodeTool);
    if (request.toolChoice !== undefined) {
      const choice = request.toolChoice;
      body.tool_choice = typeof choice === "string" ? choice : { type: "function", function: { name: choice.name } };
    }
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.responseFormat) body.response_format = encodeResponseFormat(request.responseFormat);
  // OpenAI itself takes what its model takes (./model-settings.ts); compatible vendors get it all.
  const openai = options.openaiOnly === true;
  if (!openai || samples(request.model, request.reasoning)) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
    if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
    if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
    if (request.stop?.length) body.stop = openai ? request.stop.slice(0, MOST_STOPS) : request.stop;
  }
  // Each flavour check comes after the field's own: a request without the field pays for none.
  if (request.topK !== undefined && !openai && options.flavour !== "mistral") body.top_k = request.topK;
  if (request.maxTokens !== undefined) body[options.maxTokensField ?? "max_tokens"] = request.maxTokens;
  if (request.seed !== undefined) body[options.flavour === "mistral" ? "random_seed" : "seed"] = request.seed;
  if (request.user !== undefined && options.flavour !== "mistral") body.user = openai ? openaiUser(request.user) : request.user;
  const effort = openai ? modelEffort(request.model, request.reasoning) : request.reasoning?.effort;
  if (effort) body.reasoning_effort = effort;
  // Only OpenRouter-style vendors take a token budget; plain OpenAI would refuse the unknown field.
  if (request.reasoning?.budgetTokens !== undefined && !options.openaiOnly && options.flavour !== "mistral") body.reasoning = { max_tokens: request.reasoning.budgetTokens };
  if (request.openaiFields && options.openaiFields) {
    Object.assign(body, request.openaiFields);
    // A Responses client's own (`truncation`, `max_tool_calls`): Chat Completions has no such field.
    for (const field of RESPONSES_STEERING_FIELD_NAMES) delete body[field];
  }
  body.stream = request.stream;
  if (request.stream && options.includeUsage) body.stream_options = { include_usage: true };
  return body;
}

/**
 * A tool result its client marked failed (Anthropic's `is_error`), for OpenAI's APIs, which have no
 * such mark: its text says so, or the model reads the failure as the tool's answer.
 */
export function failedResult(content: ContentPart[]): ContentPart[] {
  const first = content[0];
  if (first?.type === "text") return [{ ...first, text: `Error: ${first.text}` }, ...content.slice(1)];
  return [{ type: "text", text: "Error:" }, ...content];
}

/**
 * OpenAI's Chat Completions takes a file's data, not its URL (OpenRouter takes one): a document by
 * URL (Anthropic's `url` source) is a 400 naming it there, where OpenAI's own 400 would not say why.
 */
function refuseDocumentUrls(request: ChatRequest): void {
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === "document" && part.source.kind === "url") {
        throw errors.badRequest(`OpenAI's Chat Completions, which serves ${request.model}, takes a document's data, not its URL (${part.source.url}): send the file's data, or route it to a model served by the Responses API, Anthropic or Gemini`);
      }
    }
  }
}

/** A lone plain text part goes out as a string: the form every compatible vendor accepts. */
function encodeContent(content: ContentPart[]): string | Record<string, unknown>[] {
  const only = content[0];
  if (content.length === 1 && only?.type === "text" && !only.cacheControl) return only.text;
  const parts: Record<string, unknown>[] = [];
  for (const part of content) {
    if (part.type === "text") parts.push(markedPart({ type: "text", text: part.text }, part));
    else if (part.type === "image") parts.push(encodeImage(part));
    else encodeDocument(part, parts);
  }
  return parts;
}

function encodeImage(part: Extract<ContentPart, { type: "image" }>): Record<string, unknown> {
  const url = sourceUrl(part.source);
  return { type: "image_url", image_url: part.detail ? { url, detail: part.detail } : { url } };
}

/**
 * A document as a file part: its data as a data: URL with a file name, both of which OpenAI
 * requires (a URL goes as it is, which OpenRouter takes). Plain text has no file part of its own
 * and goes as text; what the client said about a document follows it as text.
 */
function encodeDocument(part: Extract<ContentPart, { type: "document" }>, out: Record<string, unknown>[]): void {
  const { source, context } = part;
  if (source.kind === "text") {
    out.push(markedPart({ type: "text", text: documentText(part, source.text) }, part));
  } else {
    const data = sourceUrl(source);
    const filename = documentFilename(part);
    out.push(markedPart({ type: "file", file: filename === undefined ? { file_data: data } : { filename, file_data: data } }, part));
  }
  if (context !== undefined) out.push({ type: "text", text: context });
}

function extensionOf(mediaType: string): string {
  for (const extension in DOCUMENT_TYPES) if (DOCUMENT_TYPES[extension] === mediaType) return extension;
  return "bin";
}

/** Encoded messages without their parts' cache breakpoints. */
function withoutCacheMarks(messages: Record<string, unknown>[]): void {
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as Record<string, unknown>[]) if ("cache_control" in part) delete part.cache_control;
  }
}

/** `encoded` with the breakpoint `part` carries, if it carries one (OpenRouter reads them on text and file parts). */
function markedPart(encoded: Record<string, unknown>, part: ContentPart): Record<string, unknown> {
  if (part.cacheControl) encoded.cache_control = encodeCacheControl(part.cacheControl);
  return encoded;
}

/** What a tool message says when its result was only attachments, which follow it in a user message. */
const ATTACHED = "(the result is attached in the next message)";

/**
 * The messages. Chat Completions takes only text in a tool message: a tool result's images and
 * files (a screenshot, a file an agent read) keep their text there, and follow the run of tool
 * messages in one user message, where the model can see them.
 */
function encodeMessages(messages: Message[], reasoningField: EncodeRequestOptions["reasoningField"], toolId: (id: string) => string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let attached: Record<string, unknown>[] = [];
  for (const message of messages) {
    // An answer that said nothing (only thinking, or empty) would go as null content, which is refused.
    if (message.role === "assistant" && message.content.length === 0 && !message.toolCalls?.length) continue;
    if (message.role !== "tool" && attached.length) {
      out.push(attachmentsMessage(attached));
      attached = [];
    }
    const encoded = encodeMessage(message, reasoningField, toolId);
    if (message.role === "tool" && Array.isArray(encoded.content)) {
      const parts = encoded.content as Record<string, unknown>[];
      const text = parts.filter((part) => part.type === "text");
      if (text.length < parts.length) {
        for (const part of parts) if (part.type !== "text") attached.push(part);
        encoded.content = text.length ? text : ATTACHED;
      }
    }
    out.push(encoded);
  }
  if (attached.length) out.push(attachmentsMessage(attached));
  return out;
}

function attachmentsMessage(parts: Record<string, unknown>[]): Record<string, unknown> {
  return { role: "user", content: [{ type: "text", text: "Attached to the tool results above:" }, ...parts] };
}

function encodeMessage(message: Message, reasoningField: EncodeRequestOptions["reasoningField"], toolId: (id: string) => string): Record<string, unknown> {
  switch (message.role) {
    case "system":
      return { role: message.developer ? "developer" : "system", content: encodeContent(message.content) };
    case "user":
      return message.name === undefined
        ? { role: "user", content: encodeContent(message.content) }
        : { role: "user", content: encodeContent(message.content), name: message.name };
    case "assistant": {
      const out: Record<string, unknown> = { role: "assistant", content: message.content.length ? encodeContent(message.content) : null };
      if (message.toolCalls?.length) {
        out.tool_calls = message.toolCalls.map((call) => ({
          id: toolId(call.id),
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        }));
      }
      if (message.reasoning && reasoningField) out[reasoningField] = message.reasoning;
      return out;
    }
    case "tool":
      return { role: "tool", tool_call_id: toolId(message.toolCallId), content: encodeContent(message.isError ? failedResult(message.content) : message.content) };
  }
}

/** OpenAI takes tool ids of at most 40 characters (see ../tool-ids.ts). */
const openaiToolId = (id: string) => fittedToolId(id, null, 40);
/** Mistral's are nine letters and digits: another's becomes nine hex digits of its hash. */
const mistralToolId = (id: string) => (/^[a-zA-Z0-9]{9}$/.test(id) ? id : idHash(id, 9));

function encodeTool(tool: ToolDefinition): Record<string, unknown> {
  const fn: Record<string, unknown> = { name: tool.name };
  if (tool.description !== undefined) fn.description = tool.description;
  fn.parameters = tool.parameters;
  if (tool.strict !== undefined) fn.strict = tool.strict;
  return { type: "function", function: fn };
}

function encodeResponseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type !== "json_schema") return { type: format.type };
  const spec: Record<string, unknown> = { name: format.name, schema: format.schema };
  if (format.strict !== undefined) spec.strict = format.strict;
  if (format.description !== undefined) spec.description = format.description;
  return { type: "json_schema", json_schema: spec };
}
