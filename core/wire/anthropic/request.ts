// Anthropic Messages request bodies ⇄ canonical requests: decoded by the ingress, encoded by the provider.

import { errors } from "../../errors.ts";
import {
  budgetEffort,
  formatInstruction,
  thinkingTokens,
  type CacheControl,
  type ChatRequest,
  type ContentPart,
  type DocumentSource,
  type Effort,
  type Message,
  type ReasoningOptions,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
} from "../../kit/canonical.ts";
import { decodeCacheControl, encodeCacheControl, type CacheControlField } from "../cache-control.ts";
import { ANTHROPIC_FORWARD, vendorBody } from "../forward.ts";
import { ownFields } from "../own-fields.ts";
import { fittedToolId } from "../tool-ids.ts";
import { SERVER_BLOCK, type ContentBlock, type MessageParam, type MessagesBody } from "./schema.ts";
import { thinkingBlocks, ThinkingReader } from "./thinking.ts";

type Block = Record<string, unknown>;
type Part = Extract<ContentBlock, { type: "text" | "image" | "document" }>;

/**
 * Where the decoder is in the body: kept as numbers, one object a request, and spelled out only in
 * a refusal that names a block (a path string per block would be built for nothing on every turn).
 */
class Place {
  /** The message's index; -1 for the system prompt. */
  message = -1;
  block = 0;
  /** A tool result's part, or -1. */
  part = -1;
  /** Why only Anthropic can serve the body, once a block says so: its tools' calls and results in a turn, or citations asked for. */
  anthropicOnly: string | undefined = undefined;

  toString(): string {
    const block = this.message < 0 ? `system.${this.block}` : `messages.${this.message}.content.${this.block}`;
    return this.part < 0 ? block : `${block}.content.${this.part}`;
  }
}

/** A text, image or document block as a part; `place` names it in a refusal. */
function decodePart(block: Part, place: Place): ContentPart {
  if (block.type === "text") return withCacheControl<ContentPart>({ type: "text", text: block.text }, block);
  if (block.type === "document") return decodeDocument(block, place);
  const source = block.source;
  return withCacheControl<ContentPart>({
    type: "image",
    source: source.type === "base64" ? { kind: "base64", mediaType: source.media_type, data: source.data } : { kind: "url", url: source.url },
  }, block);
}

/**
 * A document from its data, a URL or its text. A file stored at Anthropic and custom content are
 * refused, the field named. Citations asked for make the request Anthropic's alone: no other
 * vendor cites, and the answer's cited text reaches the client as Anthropic sent it.
 */
function decodeDocument(block: Extract<ContentBlock, { type: "document" }>, place: Place): ContentPart {
  const source = documentSource(block.source as Record<string, unknown>, place);
  const document: ContentPart = { type: "document", source };
  if (block.citations?.enabled) {
    document.citations = true;
    place.anthropicOnly ??= "citations asked for on a document";
  }
  if (typeof block.title === "string") document.title = block.title;
  if (typeof block.context === "string") document.context = block.context;
  return withCacheControl(document, block);
}

/** The schema lets any source type through, so that this can name what is wrong with one. */
function documentSource(raw: Record<string, unknown>, place: Place): DocumentSource {
  const { type, media_type: mediaType, data, url } = raw;
  if (type === "base64" && typeof mediaType === "string" && typeof data === "string") return { kind: "base64", mediaType, data };
  if (type === "url" && typeof url === "string") return { kind: "url", url };
  if (type === "text" && typeof data === "string") return { kind: "text", text: data };
  if (type === "base64" || type === "url" || type === "text") {
    throw errors.invalidField(`${place}.source`, type === "url" ? "a url source needs its `url`" : `a ${type} source needs its \`data\`${type === "base64" ? " and `media_type`" : ""}`);
  }
  const why = type === "file" ? "a stored file's id names a file only Anthropic can read; send its content (base64)" : `a \`${String(type)}\` source is not relayed`;
  throw errors.invalidField(`${place}.source.type`, `${why}; send base64, url or text`);
}

/** `to` with the breakpoint `block` carries, if it carries one. */
function withCacheControl<T extends { cacheControl?: CacheControl }>(to: T, block: CacheControlField): T {
  const mark = decodeCacheControl(block.cache_control);
  if (mark) to.cacheControl = mark;
  return to;
}

/** `block` with the breakpoint `from` carries, if it carries one. */
function markedBlock(block: Block, from: { cacheControl?: CacheControl }): Block {
  if (from.cacheControl) block.cache_control = encodeCacheControl(from.cacheControl);
  return block;
}

function decodeUser(content: ContentBlock[], place: Place, out: Message[]): void {
  let parts: ContentPart[] = [];
  const flush = () => {
    if (parts.length > 0) out.push({ role: "user", content: parts });
    parts = [];
  };
  for (let at = 0; at < content.length; at++) {
    const block = content[at]!;
    place.block = at;
    if (block.type === "tool_result") {
      flush();
      const inner = block.content ?? [];
      const content = typeof inner === "string" ? [{ type: "text" as const, text: inner }] : resultParts(inner, place);
      const result: Message = { role: "tool", toolCallId: block.tool_use_id, content };
      // Kept when false too: the client's `is_error: false` then goes back as it came.
      if (block.is_error !== undefined) result.isError = block.is_error;
      out.push(withCacheControl(result, block));
    } else if (block.type === "text" || block.type === "image" || block.type === "document") parts.push(decodePart(block, place));
    else if (block.type !== "thinking" && block.type !== "redacted_thinking" && block.type !== "tool_use") {
      throw errors.invalidField(`${place}.type`, `a \`${block.type}\` block is the model's: it belongs to an assistant turn`);
    }
  }
  flush();
}

/** A tool result's parts. */
function resultParts(blocks: Part[], place: Place): ContentPart[] {
  const parts: ContentPart[] = [];
  for (let at = 0; at < blocks.length; at++) {
    place.part = at;
    parts.push(decodePart(blocks[at]!, place));
  }
  place.part = -1;
  return parts;
}

/**
 * An assistant turn. One that holds Anthropic's own tools' calls and results (a web search and
 * what it found) or text with citations keeps its blocks as they came, to be replayed to Anthropic
 * as they are; its text and calls are read as any turn's.
 */
function decodeAssistant(content: ContentBlock[], place: Place): Message {
  const message: Extract<Message, { role: "assistant" }> = { role: "assistant", content: [] };
  const thinking = new ThinkingReader();
  let server = false;
  for (let at = 0; at < content.length; at++) {
    const block = content[at]!;
    place.block = at;
    if (thinking.read(block)) continue;
    if (block.type === "text" || block.type === "image" || block.type === "document") {
      if (block.type === "text" && hasCitations(block)) server = true;
      message.content.push(decodePart(block, place));
    } else if (block.type === "tool_use") {
      (message.toolCalls ??= []).push(withCacheControl<ToolCall>({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) }, block));
    } else if (SERVER_BLOCK.test(block.type)) server = true;
    else throw errors.invalidField(`${place}.type`, `a \`${block.type}\` block is not relayed in an assistant turn`);
  }
  thinking.into(message);
  if (server) {
    message.anthropicContent = content as Record<string, unknown>[];
    place.anthropicOnly ??= "Anthropic's own tools' calls and results in the conversation";
  }
  return message;
}

/** A text block that cites what a server tool found (web search results): Anthropic alone reads such citations. */
function hasCitations(block: object): boolean {
  const citations = (block as { citations?: unknown }).citations;
  return Array.isArray(citations) && citations.length > 0;
}

function decodeMessage(message: MessageParam, place: Place, out: Message[]): void {
  const blocks: ContentBlock[] = typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
  if (message.role === "user") decodeUser(blocks, place, out);
  else out.push(decodeAssistant(blocks, place));
}

function decodeToolChoice(choice: NonNullable<MessagesBody["tool_choice"]>): ToolChoice {
  if (choice.type === "any") return "required";
  if (choice.type === "tool") return { name: choice.name };
  return choice.type;
}

/**
 * Messages fields only Anthropic has and that change no token's price: kept as the client sent
 * them and passed on to Anthropic, left out for other vendors. (A thinking mode other than a token
 * budget goes the same way.) What Anthropic prices apart from the config's prices, a faster mode
 * or inference held to one region, is refused at the ingress instead.
 */
export const ANTHROPIC_FIELDS = ["context_management", "output_config", "mcp_servers", "service_tier"] as const;

/** An Anthropic Messages body as a canonical request; `model` is the public model the client named. */
export function decodeRequest(body: MessagesBody, betas?: string[]): { request: ChatRequest } {
  const messages: Message[] = [];
  const place = new Place();
  if (body.system !== undefined) {
    const parts = typeof body.system === "string" ? [{ type: "text" as const, text: body.system }] : body.system.map((block) => decodePart(block, place));
    if (parts.length > 0) messages.push({ role: "system", content: parts });
  }
  for (let at = 0; at < body.messages.length; at++) {
    place.message = at;
    decodeMessage(body.messages[at]!, place, messages);
  }
  const request: ChatRequest = { model: body.model, messages, maxTokens: body.max_tokens, stream: body.stream === true };
  if (body.tools) {
    const tools: ToolDefinition[] = (request.tools = []);
    for (let at = 0; at < body.tools.length; at++) {
      const tool = body.tools[at]!;
      if (!tool.input_schema) {
        (request.anthropicTools ??= []).push(anthropicTool(tool, `tools.${at}`));
        request.anthropicOnly ??= `Anthropic's own tool \`${tool.type}\``;
        continue;
      }
      const definition: ToolDefinition = { name: tool.name, parameters: tool.input_schema };
      if (tool.description !== undefined) definition.description = tool.description;
      tools.push(withCacheControl(definition, tool));
    }
  }
  if (place.anthropicOnly) request.anthropicOnly ??= place.anthropicOnly;
  if (body.tool_choice) {
    request.toolChoice = decodeToolChoice(body.tool_choice);
    if ("disable_parallel_tool_use" in body.tool_choice && body.tool_choice.disable_parallel_tool_use) request.parallelToolCalls = false;
  }
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.top_k !== undefined) request.topK = body.top_k;
  if (body.stop_sequences?.length) request.stop = body.stop_sequences;
  if (body.metadata?.user_id) request.user = body.metadata.user_id;
  if (body.thinking?.type === "enabled") request.reasoning = { budgetTokens: body.thinking.budget_tokens };
  let fields = ownFields(body, ANTHROPIC_FIELDS);
  // Claude's structured output, for other vendors: a strict JSON schema, as OpenAI's is.
  const format = body.output_config?.format;
  if (format?.type === "json_schema" && format.schema) request.responseFormat = { type: "json_schema", name: "output", schema: format.schema, strict: true };
  if (body.thinking?.type === "adaptive") {
    (fields ??= {}).thinking = body.thinking;
    // What other vendors get of it: the effort, high when unset, as Anthropic's default is.
    request.reasoning = { effort: CLAUDE_EFFORTS[body.output_config?.effort ?? "high"] ?? "high" };
  }
  if (fields) request.anthropicFields = fields;
  if (betas?.length) request.anthropicBetas = betas;
  return { request };
}

/**
 * A tool without its input schema: one of Anthropic's own (web search, web fetch, the text editor,
 * bash…), named by its versioned type, which goes to Anthropic as it came. Code execution is
 * billed by its container's time, which the config cannot price: refused, as is a client tool
 * without its schema.
 */
function anthropicTool(tool: { type?: string }, path: string): Record<string, unknown> {
  if (tool.type === undefined || tool.type === "custom") throw errors.invalidField(`${path}.input_schema`, "a tool needs its input schema");
  if (tool.type.startsWith("code_execution")) {
    throw errors.invalidField(path, `Anthropic's own tool \`${tool.type}\` is billed by its container's time, which the gateway cannot price; leave it out`);
  }
  return tool as Record<string, unknown>;
}

// Anthropic's smallest thinking budget is 1024 tokens; efforts map onto budgets in that scale.
const MIN_THINKING_BUDGET = 1024;

function encodePart(part: ContentPart): Block {
  if (part.type === "text") return markedBlock({ type: "text", text: part.text }, part);
  if (part.type === "document") return markedBlock(encodeDocument(part), part);
  const source = part.source;
  return markedBlock({
    type: "image",
    source: source.kind === "base64" ? { type: "base64", media_type: source.mediaType, data: source.data } : { type: "url", url: source.url },
  }, part);
}

/** A document block. Anthropic reads base64 data as a PDF only: a text file's data goes as its text. */
function encodeDocument(part: Extract<ContentPart, { type: "document" }>): Block {
  const { source } = part;
  const block: Block = { type: "document" };
  if (source.kind === "url") block.source = { type: "url", url: source.url };
  else if (source.kind === "text") block.source = { type: "text", media_type: "text/plain", data: source.text };
  else if (source.mediaType.startsWith("text/")) block.source = { type: "text", media_type: "text/plain", data: Buffer.from(source.data, "base64").toString("utf8") };
  else block.source = { type: "base64", media_type: source.mediaType, data: source.data };
  if (part.title !== undefined) block.title = part.title;
  if (part.context !== undefined) block.context = part.context;
  if (part.citations) block.citations = { enabled: true };
  return block;
}

function parseArguments(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** Anthropic refuses a text block with no text but whitespace, which clients of other dialects send ("" for an empty answer). */
const saysSomething = (part: ContentPart) => part.type !== "text" || part.text.trim() !== "";

function encodeTurn(message: Exclude<Message, { role: "system" }>): { role: "user" | "assistant"; content: Block[] } {
  if (message.role === "user") return { role: "user", content: message.content.filter(saysSomething).map(encodePart) };
  if (message.role === "tool") {
    const only = message.content.length === 1 ? message.content[0] : undefined;
    const content = only?.type === "text" && !only.cacheControl ? only.text : message.content.map(encodePart);
    const block: Block = { type: "tool_result", tool_use_id: toolId(message.toolCallId), content };
    if (message.isError !== undefined) block.is_error = message.isError;
    return { role: "user", content: [markedBlock(block, message)] };
  }
  if (message.anthropicContent) return { role: "assistant", content: message.anthropicContent };
  const content: Block[] = thinkingBlocks(message, { unsigned: false });
  for (const part of message.content) if (saysSomething(part)) content.push(encodePart(part));
  for (const call of message.toolCalls ?? []) content.push(markedBlock({ type: "tool_use", id: toolId(call.id), name: call.name, input: parseArguments(call.arguments) }, call));
  return { role: "assistant", content };
}

/** A last assistant turn (a prefill) may not end with whitespace: its last text goes trimmed. */
function trimPrefill(messages: { role: "user" | "assistant"; content: Block[] }[]): void {
  const last = messages[messages.length - 1];
  const block = last?.role === "assistant" ? last.content[last.content.length - 1] : undefined;
  if (block?.type === "text" && typeof block.text === "string") block.text = block.text.trimEnd();
}

/** Anthropic takes tool ids of letters, digits, `_` and `-` only (see ../tool-ids.ts). */
const NOT_IN_TOOL_ID = /[^a-zA-Z0-9_-]/g;
const toolId = (id: string) => fittedToolId(id, NOT_IN_TOOL_ID);

/**
 * The system prompt, with a response format the model is not held to natively (`native` false)
 * emulated by an appended system instruction.
 */
function encodeSystem(request: ChatRequest, native: boolean): Block[] {
  const blocks: Block[] = [];
  for (const message of request.messages) if (message.role === "system") blocks.push(...message.content.filter((p) => p.type === "text").map(encodePart));
  const instruction = native ? undefined : formatInstruction(request.responseFormat);
  if (instruction) blocks.push({ type: "text", text: instruction });
  return blocks;
}

/**
 * A strict JSON schema (OpenAI's `strict: true`, which promises the answer conforms) as Claude's
 * own structured output, on Claude 4.5 and later; other formats, and older models, get an
 * instruction instead (encodeSystem).
 */
function nativeFormat(request: ChatRequest, version: number): Block | undefined {
  const format = request.responseFormat;
  return version >= 4.5 && format?.type === "json_schema" && format.strict === true ? { type: "json_schema", schema: format.schema } : undefined;
}

function encodeToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Block | undefined {
  const base: Block | undefined =
    choice === undefined ? undefined
    : choice === "auto" ? { type: "auto" }
    : choice === "none" ? { type: "none" }
    : choice === "required" ? { type: "any" }
    : { type: "tool", name: choice.name };
  if (parallel !== false || choice === "none") return base;
  return { ...(base ?? { type: "auto" }), disable_parallel_tool_use: true };
}

/**
 * Whether the request continues a tool loop whose assistant turn has no signed thinking. With
 * thinking on, Anthropic wants that turn to begin with its thinking block, which a client of
 * another dialect cannot send back (it never got the signature): such a request goes without
 * thinking, and the next turn, a fresh one, thinks again.
 */
function continuesUnsignedToolLoop(messages: Message[], foreignOnly = false): boolean {
  let results = false;
  for (let at = messages.length - 1; at >= 0; at--) {
    const message = messages[at]!;
    if (message.role === "tool") results = true;
    else if (message.role === "assistant") {
      const calls = message.toolCalls;
      if (!results || !calls?.length || message.anthropicContent || thinkingBlocks(message, { unsigned: false }).length > 0) return false;
      // Anthropic's tool ids begin `toolu_`: a turn whose calls all do was Claude's own.
      return !foreignOnly || !calls.every((call) => call.id.startsWith("toolu_"));
    }
  }
  return false;
}

/**
 * The version in a Claude model's name (`claude-opus-4-7` 4.7, `claude-sonnet-4-5-20250929` 4.5,
 * `claude-opus-4-20250514` 4.0); 3 for the names before Claude 4 (`claude-3-7-sonnet`) and names
 * of no Claude, which take what Claude 3 took.
 */
export function claudeVersion(model: string): number {
  const match = /claude-(?:opus|sonnet|haiku)-(\d+)(?:[-.](\d)(?!\d))?/.exec(model);
  return match ? Number(match[1]) + Number(match[2] ?? 0) / 10 : 3;
}

/** Claude's efforts as OpenAI's: its `max` is more than OpenAI names. */
const CLAUDE_EFFORTS: Record<string, Effort> = { low: "low", medium: "medium", high: "high", xhigh: "xhigh", max: "xhigh" };

/** Whether a tool choice forces a call: `required`, or a tool named. */
function forcesTool(choice: ToolChoice | undefined): boolean {
  return choice === "required" || typeof choice === "object";
}

/** A request's reasoning as Claude's effort: low, medium, high, and xhigh from 4.7 (high before it). */
function claudeEffort(reasoning: ReasoningOptions, version: number): string {
  const effort = reasoning.effort && reasoning.effort !== "none" ? reasoning.effort : budgetEffort(reasoning.budgetTokens ?? 0);
  if (effort === "minimal") return "low";
  if (effort === "xhigh") return version >= 4.7 ? "xhigh" : "high";
  return effort;
}

/** The budget counts against max_tokens and must stay below it; too small a room means no thinking. */
function fittedBudget(wanted: number, maxTokens: number): number | undefined {
  const budget = Math.min(wanted, maxTokens - 1);
  return budget >= MIN_THINKING_BUDGET ? budget : undefined;
}

/**
 * The body for the vendor: the client's own Messages text with the model swapped when it says
 * what our encoding says (see ../forward.ts), else our encoding serialised.
 */
export function requestBody(request: ChatRequest, options: { defaultMaxTokens: number }, reusable = false): string | Uint8Array<ArrayBuffer> {
  return vendorBody(request, encodeRequest(request, options), ANTHROPIC_FORWARD, reusable);
}

/** The fields of a Messages body that count_tokens takes: what the prompt is made of, no sampling or output settings. */
const COUNTED_FIELDS = ["model", "messages", "system", "tools", "tool_choice", "thinking", "context_management", "output_config", "mcp_servers"];

/** The body of POST /v1/messages/count_tokens for a canonical request: its Messages body's prompt. */
export function countTokensBody(request: ChatRequest, options: { defaultMaxTokens: number }): Record<string, unknown> {
  // Never empty: every encoding holds its model and messages.
  return ownFields(encodeRequest(request, options), COUNTED_FIELDS)!;
}

/** A canonical request as an Anthropic Messages body. */
export function encodeRequest(request: ChatRequest, options: { defaultMaxTokens: number }): Record<string, unknown> {
  const messages: { role: "user" | "assistant"; content: Block[] }[] = [];
  for (const message of request.messages) {
    if (message.role === "system") continue;
    const turn = encodeTurn(message);
    // A turn with nothing in it (an empty answer) is refused: the turns around it join instead.
    if (turn.content.length === 0) continue;
    const last = messages[messages.length - 1];
    // The vendor wants alternating turns; tool results and a following user note share one user turn.
    if (last && last.role === turn.role) last.content.push(...turn.content);
    else messages.push(turn);
  }
  trimPrefill(messages);
  const version = claudeVersion(request.model);
  // The client's own thinking mode (an Anthropic client's adaptive thinking) goes as it came, below,
  // but on a tool loop another vendor's turn began (its calls' ids not Anthropic's), which Anthropic
  // refuses with thinking on: that turn has no thinking block to begin with. Claude's own turn may
  // have none too, adaptive thinking having chosen not to think, and goes on as it came.
  const clientThinking = request.anthropicFields?.thinking !== undefined;
  const dropOwnThinking = clientThinking && continuesUnsignedToolLoop(request.messages, true);
  const ownThinking = clientThinking && !dropOwnThinking;
  // Anthropic refuses thinking beside a tool choice that forces a call. The tool loop is looked
  // into only when thinking is asked for: nearly no request asks.
  const asked = ownThinking || forcesTool(request.toolChoice) ? undefined : thinkingTokens(request.reasoning);
  const wanted = asked === undefined || continuesUnsignedToolLoop(request.messages) ? undefined : asked;
  // A client that set no cap (an OpenAI client asking for an effort) leaves the answer the default
  // room beside the thinking, rather than the one token a budget of the default cap would leave.
  const maxTokens = request.maxTokens ?? options.defaultMaxTokens + (wanted ?? 0);
  const body: Record<string, unknown> = { model: request.model, max_tokens: maxTokens, messages };
  const format = nativeFormat(request, version);
  // An Anthropic client's own structured output goes as it came (below), with no instruction beside it.
  const ownFormat = (request.anthropicFields?.output_config as Block | undefined)?.format !== undefined;
  const system = encodeSystem(request, format !== undefined || ownFormat);
  if (system.length === 1 && !system[0]!.cache_control) body.system = system[0]!.text;
  else if (system.length > 0) body.system = system;
  const tools: Block[] = (request.tools ?? []).map((tool) => {
    const definition: Block = { name: tool.name };
    if (tool.description !== undefined) definition.description = tool.description;
    definition.input_schema = tool.parameters;
    // A strict tool's arguments are held to its schema, on Claude 4.5 and later as on OpenAI.
    if (tool.strict === true && version >= 4.5) definition.strict = true;
    return markedBlock(definition, tool);
  });
  // Anthropic's own tools follow the client's, as they came.
  if (request.anthropicTools) tools.push(...request.anthropicTools);
  if (tools.length) body.tools = tools;
  const toolChoice = tools.length ? encodeToolChoice(request.toolChoice, request.parallelToolCalls) : undefined;
  if (toolChoice) body.tool_choice = toolChoice;
  let thinking = ownThinking;
  if (wanted !== undefined && (version >= 4.7 || (version >= 4.6 && request.reasoning?.effort))) {
    // Claude 4.6 thinks adaptively at an effort, and 4.7 thinks no other way: a budget is refused.
    body.thinking = { type: "adaptive" };
    body.output_config = { effort: claudeEffort(request.reasoning!, version) };
    thinking = true;
  } else if (wanted !== undefined) {
    const budget = fittedBudget(wanted, maxTokens);
    if (budget !== undefined) body.thinking = { type: "enabled", budget_tokens: budget };
    thinking = budget !== undefined;
  }
  // Claude 4.7 takes no sampling settings. Before it, with thinking on, the vendor refuses a changed
  // temperature or top_k, and a top_p below 0.95; without, a temperature beside a top_p (the
  // temperature is kept). OpenAI-style temperatures above 1 are clamped to Anthropic's 0–1 range.
  if (version < 4.7) {
    if (request.temperature !== undefined && !thinking) body.temperature = Math.min(1, request.temperature);
    if (request.topK !== undefined && !thinking) body.top_k = request.topK;
    const topP = request.topP;
    if (topP !== undefined && (thinking ? topP >= 0.95 : request.temperature === undefined)) body.top_p = topP;
  }
  if (format) body.output_config = { ...(body.output_config as Block | undefined), format };
  if (request.stop?.length) {
    // Anthropic refuses a stop sequence of whitespace alone, which OpenAI clients send ("\n"): left out,
    // the answer may run past where it would have stopped, where it was refused whole.
    const stops = request.stop.some((stop) => !stop.trim()) ? request.stop.filter((stop) => stop.trim()) : request.stop;
    if (stops.length > 0) body.stop_sequences = stops;
  }
  if (request.user) body.metadata = { user_id: request.user };
  if (request.anthropicFields) Object.assign(body, request.anthropicFields);
  if (dropOwnThinking) delete body.thinking;
  if (request.stream) body.stream = true;
  return body;
}
