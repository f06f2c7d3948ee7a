// Canonical requests → OpenAI Responses API bodies, and its answers (a `response` object or its
// semantic SSE events) → canonical, for models OpenAI serves only through the Responses API.

import { errors, fromUpstreamStatus } from "../../errors.ts";
import { CLIENT_BODY, documentText, type ChatRequest, type ChatResponse, type ContentPart, type FinishReason, type ReasoningBlock, type StreamEvent, type Usage } from "../../kit/canonical.ts";
import type { SseMessage, StreamDecoder } from "../../kit/sse.ts";
import { readVendorError } from "../openai/error.ts";
import { modelEffort, openaiUser, reasoningModel, samples } from "../openai/model-settings.ts";
import { documentFilename, failedResult, sourceUrl } from "../openai/request.ts";
import { RESPONSES_STEERING_FIELD_NAMES, STEERING_FIELD_NAMES } from "../openai/schema.ts";
import { freeformArguments, freeformInput, freeformNames, freeformStream } from "./freeform.ts";
import { encryptedReasoningItem } from "./response.ts";

type Json = Record<string, unknown>;

/** Chat Completions' own fields the Responses API has none of (`modalities` can only be text by now, which it is). */
const CHAT_ONLY_FIELDS = ["logit_bias", "top_logprobs", "prediction"];

/**
 * A canonical request as a Responses body. Settings it has no counterpart for (stop sequences, a
 * seed, penalties, `top_k`: what OpenAI's reasoning models, which it serves, refuse on Chat
 * Completions too) are left out, as OpenRouter ignores a setting its model does not take; OpenAI's
 * own Chat Completions fields, which only an OpenAI client sends meaning them, are refused by name.
 */
export function encodeUpstreamRequest(request: ChatRequest): Json {
  const input: Json[] = [];
  const freeform = freeformNames(request.tools);
  // Calls to a freeform tool, whose outputs go back as a custom tool's.
  let freeformCalls: Set<string> | null = null;
  for (const message of request.messages) {
    switch (message.role) {
      case "system":
        input.push({ role: message.developer ? "developer" : "system", content: message.content.map(inputPart) });
        break;
      case "user":
        input.push({ role: "user", content: message.content.map(inputPart) });
        break;
      case "assistant": {
        // OpenAI's encrypted reasoning goes back before the turn's text and calls, as it came.
        for (const block of message.reasoningBlocks ?? []) {
          if (block.type === "openai") input.push(encryptedReasoningItem(block));
        }
        const text = message.content.map((part) => (part.type === "text" ? part.text : "")).join("");
        if (text) input.push({ role: "assistant", content: [{ type: "output_text", text }], ...(message.phase ? { phase: message.phase } : {}) });
        for (const call of message.toolCalls ?? []) {
          if (freeform?.has(call.name)) {
            (freeformCalls ??= new Set()).add(call.id);
            input.push({ type: "custom_tool_call", call_id: call.id, name: call.name, input: freeformInput(call.arguments) });
          } else input.push({ type: "function_call", call_id: call.id, name: call.name, arguments: call.arguments });
        }
        break;
      }
      case "tool": {
        const content = message.isError ? failedResult(message.content) : message.content;
        const textOnly = content.every((part) => part.type === "text");
        const output = textOnly ? content.map((part) => (part as { text: string }).text).join("") : content.map(inputPart);
        input.push({ type: freeformCalls?.has(message.toolCallId) ? "custom_tool_call_output" : "function_call_output", call_id: message.toolCallId, output });
        break;
      }
    }
  }
  // Stateless, as the gateway is: nothing is kept at OpenAI unless the client asked for it.
  const body: Json = { model: request.model, input, store: false };
  if (request.tools?.length) {
    // Responses tools are strict unless told otherwise; Chat Completions', as the canonical ones, are not.
    body.tools = request.tools.map((tool) =>
      tool.freeform
        ? { type: "custom", name: tool.name, description: tool.description, format: tool.freeform.format }
        : { type: "function", name: tool.name, description: tool.description, parameters: tool.parameters, strict: tool.strict ?? false },
    );
  }
  const choice = request.toolChoice;
  if (choice !== undefined) body.tool_choice = typeof choice === "string" ? choice : { type: freeform?.has(choice.name) ? "custom" : "function", name: choice.name };
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  const text: Json = {};
  const format = request.responseFormat;
  if (format) text.format = format.type === "json_schema" ? { type: "json_schema", name: format.name, schema: format.schema, strict: format.strict, description: format.description } : { type: format.type };
  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens;
  // What the model takes (../openai/model-settings.ts): a reasoning model no sampling settings, another no effort.
  if (samples(request.model, request.reasoning)) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  const effort = modelEffort(request.model, request.reasoning);
  const summary = reasoningModel(request.model) ? reasoningSummary(request) : undefined;
  if (effort || summary) body.reasoning = { ...(effort ? { effort } : {}), ...(summary ? { summary } : {}) };
  // Stateless, a reasoning model's reasoning reaches the next turn only encrypted, through the client.
  if (reasoningModel(request.model) || input.some((item) => item.type === "reasoning")) body.include = ["reasoning.encrypted_content"];
  if (request.user !== undefined) body.user = openaiUser(request.user);
  const own = request.openaiFields ?? {};
  for (const field of CHAT_ONLY_FIELDS) {
    if (own[field] !== undefined) throw noCounterpart(field, request.model);
  }
  // OpenAI's own fields that the Responses API takes under the same name at the top of its body.
  for (const field of STEERING_FIELD_NAMES) if (own[field] !== undefined) body[field] = own[field];
  for (const field of RESPONSES_STEERING_FIELD_NAMES) if (own[field] !== undefined) body[field] = own[field];
  if (own.verbosity !== undefined) text.verbosity = own.verbosity;
  if (Object.keys(text).length) body.text = text;
  if (request.stream) body.stream = true;
  return body;
}

/**
 * The reasoning summary to ask for: the Responses client's own choice; for a client of another
 * dialect that asked for thinking, `auto`: it reads thinking as text (Anthropic's thinking blocks,
 * Chat Completions' `reasoning`), which OpenAI writes only as a summary, and only when asked.
 */
function reasoningSummary(request: ChatRequest): string | undefined {
  const reasoning = request.reasoning;
  if (reasoning?.summary || !request[CLIENT_BODY] || reasoning?.exclude) return reasoning?.summary;
  return reasoning?.effort && reasoning.effort !== "none" ? "auto" : reasoning?.budgetTokens !== undefined ? "auto" : undefined;
}

function noCounterpart(field: string, model: string): Error {
  return errors.badRequest(`\`${field}\` has no counterpart in OpenAI's Responses API, which serves ${model}; leave it out`);
}

function inputPart(part: ContentPart): Json {
  if (part.type === "text") return { type: "input_text", text: part.text };
  if (part.type === "image") return { type: "input_image", image_url: sourceUrl(part.source), detail: part.detail ?? "auto" };
  const { source } = part;
  if (source.kind === "text") return { type: "input_text", text: documentText(part, source.text) };
  if (source.kind === "url") return { type: "input_file", file_url: source.url };
  return { type: "input_file", filename: documentFilename(part), file_data: sourceUrl(source) };
}

// ---- answers ----

interface Item {
  type?: string;
  id?: string;
  encrypted_content?: string | null;
  /** A custom tool call's text. */
  input?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  content?: { type?: string; text?: string; refusal?: string }[];
  summary?: { text?: string }[];
  /** An assistant message's phase. */
  phase?: string | null;
}

interface ResponseJson {
  id?: string;
  model?: string;
  created_at?: number;
  status?: string;
  incomplete_details?: { reason?: string } | null;
  output?: Item[];
  usage?: UsageJson;
  error?: { code?: string; message?: string } | null;
}

interface UsageJson {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number };
  output_tokens_details?: { reasoning_tokens?: number };
}

export function decodeUpstreamUsage(usage: UsageJson | undefined): Usage | undefined {
  if (!usage) return undefined;
  const decoded: Usage = { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0 };
  const cached = usage.input_tokens_details?.cached_tokens ?? 0;
  if (cached > 0) decoded.cachedInputTokens = cached;
  const reasoning = usage.output_tokens_details?.reasoning_tokens ?? 0;
  if (reasoning > 0) decoded.reasoningTokens = reasoning;
  return decoded;
}

/** How a response ended: cut short says why; otherwise its function calls, or a stop. */
function finishOf(response: ResponseJson, calls: boolean): FinishReason {
  if (response.status === "incomplete") return response.incomplete_details?.reason === "content_filter" ? "content_filter" : "length";
  return calls ? "tool_calls" : "stop";
}

export function decodeUpstreamResponse(json: unknown): ChatResponse {
  const response = (json ?? {}) as ResponseJson;
  if (response.status === "failed") throw failed(response);
  let refusal = "";
  let reasoning = "";
  const toolCalls: ChatResponse["toolCalls"] = [];
  const blocks: ReasoningBlock[] = [];
  // Each message's text, with its phase: a commentary and a final answer are two messages.
  const phases: { phase?: string; text: string }[] = [];
  let summarised = false;
  for (const item of response.output ?? []) {
    if (item.type === "message") {
      let text = "";
      for (const part of item.content ?? []) {
        if (part.type === "output_text") text += part.text ?? "";
        else if (part.type === "refusal") refusal += part.refusal ?? "";
      }
      if (text) phases.push(item.phase ? { phase: item.phase, text } : { text });
    } else if (item.type === "function_call") toolCalls.push({ id: item.call_id ?? "", name: item.name ?? "", arguments: item.arguments ?? "" });
    else if (item.type === "custom_tool_call") toolCalls.push({ id: item.call_id ?? "", name: item.name ?? "", arguments: freeformArguments(item.input ?? "") });
    else if (item.type === "reasoning") {
      if (item.summary?.length) summarised = true;
      reasoning += reasoningText(item);
      if (item.encrypted_content) blocks.push({ type: "openai", id: item.id ?? "", encrypted: item.encrypted_content });
    }
  }
  const decoded: ChatResponse = {
    id: response.id ?? "",
    model: response.model ?? "",
    created: response.created_at ?? Math.floor(Date.now() / 1000),
    // To another dialect's client, messages of an answer are paragraphs of one text.
    text: phases.map((message) => message.text).join("\n\n"),
    toolCalls,
    finishReason: finishOf(response, toolCalls.length > 0),
  };
  if (phases.some((message) => message.phase)) decoded.phases = phases;
  if (reasoning) decoded.reasoning = reasoning;
  if (reasoning && summarised) decoded.reasoningSummary = true;
  if (blocks.length) decoded.reasoningBlocks = blocks;
  if (refusal) decoded.refusal = refusal;
  if (response.status === "incomplete" && response.incomplete_details?.reason) decoded.nativeFinishReason = response.incomplete_details.reason;
  const usage = decodeUpstreamUsage(response.usage);
  if (usage) decoded.usage = usage;
  return decoded;
}

/** A reasoning item's readable text: its summary, or the raw reasoning an open-weight model gives. */
function reasoningText(item: Item): string {
  const summary = (item.summary ?? []).map((part) => part.text ?? "").join("\n\n");
  return summary || (item.content ?? []).map((part) => part.text ?? "").join("");
}

function failed(response: ResponseJson): Error {
  const message = response.error?.message ?? "OpenAI's response failed";
  return errors.upstream(message, { retryable: true, metadata: { upstream: { code: response.error?.code ?? null, message } } });
}

/** The Responses API's semantic events → canonical events, one SSE message at a time. */
export class UpstreamStreamDecoder implements StreamDecoder {
  done = false;
  /** Output index of each function call → its canonical index, in the order they were added. */
  private readonly calls = new Map<number, number>();
  /** Output indexes of the custom (freeform) tool calls among them: their text streams into `{"input":"…"}`. */
  private readonly custom = new Set<number>();
  /** Message items begun so far, and how the one just begun opens: its phase, or a paragraph after another. */
  private messages = 0;
  private opening: { phase?: string; paragraph?: boolean } | null = null;
  /** The id of the reasoning item just begun, until its first text carries it. */
  private reasoningItem: string | null = null;

  /** A piece of a reasoning item's text; its first carries the item's id. */
  private reasoning(text: string, summary: boolean): StreamEvent {
    const item = this.reasoningItem;
    this.reasoningItem = null;
    return { type: "reasoning", text, ...(summary ? { summary } : {}), ...(item ? { item } : {}) };
  }

  message(message: SseMessage, out: StreamEvent[]): void {
    if (this.done) return;
    let event: Json;
    try {
      event = JSON.parse(message.data) as Json;
    } catch {
      return; // a keep-alive comment some proxies send
    }
    const type = typeof event.type === "string" ? event.type : message.event;
    switch (type) {
      case "response.created": {
        const response = (event.response ?? {}) as ResponseJson;
        out.push({ type: "start", id: response.id ?? "", model: response.model ?? "" });
        return;
      }
      case "response.output_item.added": {
        const item = (event.item ?? {}) as Item;
        if (item.type === "message") {
          // The message's first text says where it begins: with its phase, or after the one before as a paragraph.
          this.opening = item.phase || this.messages > 0 ? { ...(item.phase ? { phase: item.phase } : {}), paragraph: this.messages > 0 } : null;
          this.messages++;
          return;
        }
        if (item.type === "reasoning") {
          this.reasoningItem = item.id ?? null;
          return;
        }
        if (item.type !== "function_call" && item.type !== "custom_tool_call") return;
        const at = event.output_index as number;
        const index = this.calls.size;
        this.calls.set(at, index);
        out.push({ type: "tool_call_start", index, id: item.call_id ?? "", name: item.name ?? "" });
        if (item.type === "custom_tool_call") {
          this.custom.add(at);
          out.push({ type: "tool_call_delta", index, arguments: freeformStream.open(item.input ?? "") });
        } else if (item.arguments) out.push({ type: "tool_call_delta", index, arguments: item.arguments });
        return;
      }
      case "response.custom_tool_call_input.delta": {
        const index = this.calls.get(event.output_index as number);
        if (index !== undefined && event.delta) out.push({ type: "tool_call_delta", index, arguments: freeformStream.piece(event.delta as string) });
        return;
      }
      case "response.output_item.done": {
        const item = (event.item ?? {}) as Item;
        const at = event.output_index as number;
        if (item.type === "reasoning" && item.encrypted_content) out.push({ type: "reasoning_item", id: item.id ?? "", encrypted: item.encrypted_content });
        else if (this.custom.delete(at)) out.push({ type: "tool_call_delta", index: this.calls.get(at)!, arguments: freeformStream.close });
        return;
      }
      case "response.function_call_arguments.delta": {
        const index = this.calls.get(event.output_index as number);
        if (index !== undefined && event.delta) out.push({ type: "tool_call_delta", index, arguments: event.delta as string });
        return;
      }
      case "response.output_text.delta": {
        if (!event.delta) return;
        const opening = this.opening;
        this.opening = null;
        const text = event.delta as string;
        const joined = opening?.paragraph ? `\n\n${text}` : text;
        out.push(opening?.phase ? { type: "text", text: joined, phase: opening.phase } : { type: "text", text: joined });
        return;
      }
      case "response.refusal.delta":
        if (event.delta) out.push({ type: "refusal", text: event.delta as string });
        return;
      case "response.reasoning_summary_text.delta":
        if (event.delta) out.push(this.reasoning(event.delta as string, true));
        return;
      case "response.reasoning_text.delta":
        if (event.delta) out.push(this.reasoning(event.delta as string, false));
        return;
      case "response.reasoning_summary_part.added":
        // Summary parts are paragraphs: the second and later start on a new one.
        if ((event.summary_index as number) > 0) out.push({ type: "reasoning", text: "\n\n", summary: true });
        return;
      case "response.completed":
      case "response.incomplete": {
        const response = (event.response ?? {}) as ResponseJson;
        const usage = decodeUpstreamUsage(response.usage);
        if (usage) out.push({ type: "usage", usage });
        const reason = finishOf(response, this.calls.size > 0);
        const native = response.status === "incomplete" ? response.incomplete_details?.reason : undefined;
        out.push(native ? { type: "finish", reason, native } : { type: "finish", reason });
        this.done = true;
        return;
      }
      case "response.failed":
        throw failed((event.response ?? {}) as ResponseJson);
      case "error": {
        // `{type: "error", code, message, param}`: the event is its own error object.
        const vendor = readVendorError(event, 502);
        throw fromUpstreamStatus(502, vendor.message, { metadata: { upstream: { status: 502, ...vendor } } });
      }
    }
  }

  end(): void {
    if (!this.done) throw errors.upstream("OpenAI's response stream ended before the response completed", { retryable: true });
  }
}
