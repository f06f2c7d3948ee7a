// Gemini GenerateContentResponse (JSON and SSE frames) and Google error bodies → canonical values.

import type { ChatResponse, FinishReason, Kit, SseMessage, StreamDecoder, StreamEvent, ToolCall, Usage } from "../../../core/kit/index.ts";
import { answerSalt, markedSignature, toolCallId } from "./request.ts";

interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name?: string; args?: unknown; id?: string };
}
interface GeminiUsage {
  promptTokenCount?: number;
  /** The prompt of its own tools' results (a search's), counted apart from the prompt and billed as input. */
  toolUsePromptTokenCount?: number;
  candidatesTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
}
export interface GeminiResponse {
  /** Google's error, as a stream's frame carries one after the answer began. */
  error?: { code?: number; message?: string; status?: string };
  candidates?: { content?: { parts?: GeminiPart[] }; finishReason?: string }[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiUsage;
  modelVersion?: string;
  responseId?: string;
}

/** Finish reasons of a function call Gemini could not make: with nothing else said, no answer at all. */
const FAILED_CALL = new Set(["MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL"]);

/** A finish that says nothing was answered: another candidate, or a retry, may answer. */
function noAnswer(native: string | undefined, kit: Kit): Error {
  return kit.errors.upstream(`Gemini ended with ${native} and no answer`, { retryable: true, metadata: { provider: "gemini", finish: native } });
}

const FINISH: Record<string, FinishReason> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  IMAGE_PROHIBITED_CONTENT: "content_filter",
  IMAGE_RECITATION: "content_filter",
  MALFORMED_FUNCTION_CALL: "error",
  UNEXPECTED_TOOL_CALL: "error",
  // Stopped for a reason of Google's own (an unsupported language, no image made): no clean stop.
  OTHER: "error",
  LANGUAGE: "error",
  IMAGE_OTHER: "error",
  NO_IMAGE: "error",
  // The calls were cut at Google's limit: the answer is unfinished, as one cut at max tokens.
  TOO_MANY_TOOL_CALLS: "length",
};

function finishOf(native: string | undefined, hasToolCalls: boolean): FinishReason {
  const reason = (native && FINISH[native]) || "stop";
  // Gemini says STOP after a function call; canonical clients need tool_calls to run the tools.
  return reason === "stop" && hasToolCalls ? "tool_calls" : reason;
}

/** candidatesTokenCount leaves thoughts out; canonical output counts them, as reasoning too. */
export function decodeUsage(usage: GeminiUsage): Usage {
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const input = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  const result: Usage = { inputTokens: input, outputTokens: (usage.candidatesTokenCount ?? 0) + thoughts };
  if (usage.cachedContentTokenCount) result.cachedInputTokens = usage.cachedContentTokenCount;
  if (thoughts > 0) result.reasoningTokens = thoughts;
  return result;
}

function toolCall(part: GeminiPart, index: number, salt: string): ToolCall {
  const name = part.functionCall?.name ?? "";
  return { id: part.functionCall?.id || toolCallId(index, name, salt), name, arguments: JSON.stringify(part.functionCall?.args ?? {}) };
}

/** A generateContent reply as a canonical response. */
/**
 * `oneCall`: the client asked for no parallel calls (`parallel_tool_calls: false`), which Gemini has
 * no setting for: the answer's first call is kept, as the client can take only one.
 */
export function decodeResponse(json: GeminiResponse, model: string, kit: Kit, oneCall = false): ChatResponse {
  const candidate = json.candidates?.[0];
  // A blocked prompt comes with no candidate and a block reason; with neither there is no answer to pass on.
  if (!candidate && !json.promptFeedback?.blockReason) throw kit.errors.upstream("Gemini sent no candidate and no block reason", { retryable: true });
  const now = kit.now();
  let text = "";
  let reasoning: string | undefined;
  let signature: string | undefined;
  const toolCalls: ToolCall[] = [];
  const salt = answerSalt();
  for (const part of candidate?.content?.parts ?? []) {
    if (part.thoughtSignature && signature === undefined) signature = markedSignature(part.thoughtSignature);
    if (part.functionCall) {
      if (!oneCall || toolCalls.length === 0) toolCalls.push(toolCall(part, toolCalls.length, salt));
    }
    else if (part.thought) reasoning = (reasoning ?? "") + (part.text ?? "");
    else if (part.text) text += part.text;
  }
  const native = candidate?.finishReason ?? json.promptFeedback?.blockReason;
  if (native && FAILED_CALL.has(native) && !text && toolCalls.length === 0) throw noAnswer(native, kit);
  const response: ChatResponse = {
    id: json.responseId ?? `gemini-${now}`,
    model: json.modelVersion ?? model,
    created: Math.floor(now / 1000),
    text,
    toolCalls,
    finishReason: candidate ? finishOf(native, toolCalls.length > 0) : "content_filter",
  };
  if (native) response.nativeFinishReason = native;
  if (reasoning !== undefined) response.reasoning = reasoning;
  if (signature !== undefined) response.reasoningSignature = signature;
  if (json.usageMetadata) response.usage = decodeUsage(json.usageMetadata);
  return response;
}

/** streamGenerateContent?alt=sse frames (each a whole GenerateContentResponse) as canonical events. */
class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private tools = 0;
  private readonly salt = answerSalt();
  /** Whether the answer has said anything (text or a call), and whether the prompt was blocked. */
  private said = false;
  private blocked = false;
  private native: string | undefined;
  // The SSE stream has no terminator: it ends when the body does.
  readonly done = false;

  constructor(
    private readonly model: string,
    private readonly kit: Kit,
    /** As for decodeResponse: only the answer's first call is passed on. */
    private readonly oneCall: boolean,
  ) {}

  message(message: SseMessage, out: StreamEvent[]): void {
    let chunk: GeminiResponse;
    try {
      chunk = JSON.parse(message.data) as GeminiResponse;
    } catch (cause) {
      throw this.kit.errors.upstream("Gemini sent an unreadable stream frame", { cause, retryable: true });
    }
    if (!this.started) {
      this.started = true;
      out.push({ type: "start", id: chunk.responseId ?? `gemini-${this.kit.now()}`, model: chunk.modelVersion ?? this.model });
    }
    // Google's error after the answer began: its status and message, not a stream cut short.
    if (chunk.error) throw decodeError(chunk.error.code ?? 500, chunk, new Headers(), this.kit);
    const candidate = chunk.candidates?.[0];
    if (!candidate && chunk.promptFeedback?.blockReason) this.blocked = true;
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall || (part.text && !part.thought)) this.said = true;
      if (part.functionCall) {
        if (this.oneCall && this.tools > 0) continue;
        const call = toolCall(part, this.tools, this.salt);
        // The call's signature first: an Anthropic client gets it as a thinking block before the call, where Anthropic puts thinking.
        if (part.thoughtSignature) out.push({ type: "reasoning", text: "", signature: markedSignature(part.thoughtSignature) });
        out.push({ type: "tool_call_start", index: this.tools, id: call.id, name: call.name });
        out.push({ type: "tool_call_delta", index: this.tools++, arguments: call.arguments });
      } else if (part.thought) out.push({ type: "reasoning", text: part.text ?? "", ...(part.thoughtSignature ? { signature: markedSignature(part.thoughtSignature) } : {}) });
      else {
        if (part.text) out.push({ type: "text", text: part.text });
        // Gemini 3 signs an answer with no call on a text part, often an empty last one: kept, as the JSON answer keeps it.
        if (part.thoughtSignature) out.push({ type: "reasoning", text: "", signature: markedSignature(part.thoughtSignature) });
      }
    }
    // Every chunk's counts so far, as they come: a stream stopped short is metered by the last.
    if (chunk.usageMetadata) out.push({ type: "usage", usage: decodeUsage(chunk.usageMetadata) });
    this.native = candidate?.finishReason ?? chunk.promptFeedback?.blockReason ?? this.native;
  }

  end(out: StreamEvent[]): void {
    // A finish reason in the last frame is what marks the answer complete.
    if (!this.native) throw this.kit.errors.upstream("Gemini stream ended without a finish reason", { retryable: true });
    if (FAILED_CALL.has(this.native) && !this.said) throw noAnswer(this.native, this.kit);
    if (this.blocked) {
      out.push({ type: "finish", reason: "content_filter", native: this.native });
      return;
    }
    out.push({ type: "finish", reason: finishOf(this.native, this.tools > 0), native: this.native });
  }
}

/** A streamGenerateContent body as canonical events, in batches per network read. */
export function decodeStream(body: ReadableStream<Uint8Array>, model: string, kit: Kit, oneCall = false): AsyncIterable<StreamEvent> {
  return kit.sse.decode(body, new GeminiStreamDecoder(model, kit, oneCall));
}

interface GoogleError {
  error?: { code?: number; message?: string; status?: string; details?: { "@type"?: string; retryDelay?: string; reason?: string }[] };
}

/**
 * Google's 400s that are the gateway's account's, not the request's: a key it does not take
 * (ErrorInfo reason API_KEY_INVALID), and a project or region the API does not serve
 * (FAILED_PRECONDITION, "User location is not supported").
 */
function refusesAccount(inner: NonNullable<GoogleError["error"]>): boolean {
  if (inner.status === "FAILED_PRECONDITION") return true;
  return inner.details?.some((d) => d["@type"]?.endsWith("ErrorInfo") && (d.reason === "API_KEY_INVALID" || d.reason === "API_KEY_EXPIRED")) ?? false;
}

const CONTEXT_LENGTH = /input token count.*exceeds|exceeds the maximum number of tokens|context window/i;

/** A failed Gemini call as a gateway error; RetryInfo's retryDelay counts when there is no retry-after header. */
export function decodeError(status: number, body: unknown, headers: Headers, kit: Kit) {
  // Some of Google's endpoints wrap the error in a list of one.
  const inner = ((Array.isArray(body) ? body[0] : body) as GoogleError | null)?.error;
  const message = inner?.message ?? (typeof body === "string" && body ? body : `Gemini returned HTTP ${status}`);
  let retryAfterMs = kit.parseRetryAfter(headers);
  const delay = inner?.details?.find((d) => d["@type"]?.endsWith("RetryInfo"))?.retryDelay;
  if (retryAfterMs === undefined && delay && /^\d+(\.\d+)?s$/.test(delay)) retryAfterMs = Math.round(Number.parseFloat(delay) * 1000);
  return kit.fromUpstreamStatus(status, message, {
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    metadata: { provider: "gemini", status, ...(inner?.status ? { type: inner.status } : {}), raw: body },
    contextLength: status === 400 && CONTEXT_LENGTH.test(message),
    account: status === 400 && inner !== undefined && refusesAccount(inner),
  });
}
