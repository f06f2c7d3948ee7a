// chat.completion.chunk SSE ⇄ canonical stream events: vendor streams in, our clients' streams out.

import { fromUpstreamStatus, type SwitchyardError } from "../../errors.ts";
import type { BatchedEvents, ChatRequest, StreamEvent, Usage } from "../../kit/canonical.ts";
import { decodeSse, decodeSseMessages, formatSse, type SseMessage, type StreamDecoder } from "../../kit/sse.ts";
import { readVendorError } from "./error.ts";
import { FrameShape, type ShapedField } from "./frame-shape.ts";
import { decodeContentChunks, decodeFinishReason, decodeUsage, encodeUsage, isObject } from "./response.ts";

type Json = Record<string, unknown>;

/**
 * Vendor SSE → canonical events, one message at a time and synchronously. `start` comes first;
 * `usage` and `finish` are held to the end because vendors send usage after the finish chunk (or
 * in every chunk): the last one wins.
 */
class ChunkDecoder implements StreamDecoder {
  private started = false;
  /** Whether any chunk held a choice. */
  private chose = false;
  private usage: Usage | undefined;
  private finish: Extract<StreamEvent, { type: "finish" }> | undefined;
  /** The indexes of the tool calls opened so far (see ToolCalls). */
  toolIndexes: Set<number> | null = null;
  /**
   * The shape of this stream's token frames, once one has been decoded the long way (see
   * frame-shape.ts), and the event a frame of it makes from the string it carries.
   */
  private shaped: { shape: FrameShape; event: (value: string) => StreamEvent } | null = null;
  /** Frames a shape may still be learned from: a stream whose frames teach none stops trying. */
  private shapeTries = 3;
  /** Frames of one delta decoded the long way so far: a shape is learned once the stream is long. */
  private plainFrames = 0;
  /** Set by [DONE]: nothing after it counts. */
  done = false;

  /** Appends the events of one message to `out`; throws the vendor's error frame as a SwitchyardError. */
  message(message: SseMessage, out: StreamEvent[]): void {
    if (this.done) return;
    if (message.data === "[DONE]") {
      this.done = true;
      return;
    }
    if (this.shaped && message.event === "message") {
      const value = this.shaped.shape.value(message.data);
      if (value !== undefined) {
        if (value) out.push(this.shaped.event(value));
        return;
      }
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(message.data);
    } catch {
      return; // keep-alive text some servers send
    }
    if (!isObject(chunk)) return;
    if (chunk.error !== undefined || message.event === "error") throw streamError(chunk);
    const first = !this.started;
    if (first) {
      this.started = true;
      out.push({ type: "start", id: typeof chunk.id === "string" ? chunk.id : "", model: typeof chunk.model === "string" ? chunk.model : "" });
    }
    this.usage = decodeUsage(chunk.usage) ?? this.usage;
    const choice = Array.isArray(chunk.choices) && isObject(chunk.choices[0]) ? chunk.choices[0] : undefined;
    if (!choice) return;
    this.chose = true;
    const before = out.length;
    if (isObject(choice.delta)) decodeDelta(choice.delta, this, out);
    if (typeof choice.finish_reason === "string") {
      const native = typeof choice.native_finish_reason === "string" ? choice.native_finish_reason : choice.finish_reason;
      this.finish = { type: "finish", reason: decodeFinishReason(choice.finish_reason), native };
    } else if (!first && !this.shaped && this.shapeTries > 0 && out.length === before + 1 && chunk.usage == null && ++this.plainFrames > LEARN_AFTER) {
      this.learnShape(message.data, choice.delta as Json, out[before]!);
    }
  }

  /**
   * Learns the stream's token frame from one that said one thing only: a text, reasoning or
   * argument delta, with no usage, no finish and no new tool call. A frame of the same shape says
   * the same thing with its own string.
   */
  private learnShape(data: string, delta: Json, event: StreamEvent): void {
    const value = carriedString(event);
    if (value === undefined) return;
    if (event.type === "tool_call_delta") {
      // Only a call with its own index: one without is numbered by the calls opened so far.
      const calls = delta.tool_calls as unknown[];
      if (calls.length !== 1 || !isObject(calls[0]) || typeof calls[0].index !== "number") return;
    }
    const field: ShapedField =
      event.type === "text" ? "content" : event.type === "tool_call_delta" ? "arguments" : delta.reasoning_content != null ? "reasoning_content" : "reasoning";
    this.shapeTries--;
    const shape = FrameShape.learn(data, field, value, (frame) => this.probe(frame, event.type));
    if (shape) this.shaped = { shape, event: (carried) => withString(event, carried) };
  }

  /**
   * The string a frame of a candidate shape carries, decoded as any frame is: defined only when
   * the frame says one thing, an event of `type`, as the frame the shape was learned from did.
   */
  private probe(frame: unknown, type: StreamEvent["type"]): string | undefined {
    if (!isObject(frame) || frame.error !== undefined || frame.usage != null || !Array.isArray(frame.choices)) return undefined;
    const choice: unknown = frame.choices[0];
    if (!isObject(choice) || !isObject(choice.delta) || typeof choice.finish_reason === "string") return undefined;
    const events: StreamEvent[] = [];
    // A copy: a probe must not open calls for the stream.
    decodeDelta(choice.delta, { toolIndexes: this.toolIndexes && new Set(this.toolIndexes) }, events);
    return events.length === 1 && events[0]!.type === type ? carriedString(events[0]!) : undefined;
  }

  /** The stream ended: the held usage and finish, or an error if the answer was cut short or never came. */
  end(out: StreamEvent[]): void {
    // Text that is no chunk is skipped as some servers' keep-alive; a stream of nothing else,
    // [DONE] or not, carried no answer, and must not pass for an empty one.
    if (!this.started) throw fromUpstreamStatus(502, "the vendor's stream ended without a single chunk of an answer");
    // Chunks with no choice in any of them (only an id, or only usage) carried no answer either.
    if (!this.chose && !this.finish) throw fromUpstreamStatus(502, "the vendor's stream ended without a choice in any chunk: no answer");
    // Some servers omit [DONE], but none ends a complete answer without a finish reason.
    if (!this.done && !this.finish) throw fromUpstreamStatus(502, "the vendor's stream ended before the answer finished");
    if (this.usage) out.push({ type: "usage", usage: this.usage });
    if (!this.finish) return;
    // An answer with tool calls that "stop" ended ended to have them called (see decodeResponse).
    if (this.finish.reason === "stop" && this.toolIndexes?.size) this.finish.reason = "tool_calls";
    out.push(this.finish);
  }
}

/**
 * Token frames a stream decodes the long way before it learns their shape. Learning (a parse of a
 * probe frame, and the shape's texts) costs about what five frames' parses save under load: a
 * six-token answer took 0.92–0.97 of the gateway's CPU without it (bench/ab.ts). A short answer
 * never pays for it; a long one repays these few parses many times over.
 */
const LEARN_AFTER = 8;

/** Vendor SSE messages → canonical events. */
export function decodeStream(messages: AsyncIterable<SseMessage>): AsyncGenerator<StreamEvent> {
  return decodeSseMessages(messages, new ChunkDecoder());
}

/** A vendor's SSE body → canonical events, grouped per network read (see EVENT_BATCHES). */
export function decodeStreamBody(body: ReadableStream<Uint8Array>): BatchedEvents {
  return decodeSse(body, new ChunkDecoder());
}

/** The string a token event carries: its text or its arguments. */
function carriedString(event: StreamEvent): string | undefined {
  if (event.type === "text" || event.type === "reasoning") return event.text;
  return event.type === "tool_call_delta" ? event.arguments : undefined;
}

/** A token event like `event`, carrying `value` instead. */
function withString(event: StreamEvent, value: string): StreamEvent {
  if (event.type === "tool_call_delta") return { type: "tool_call_delta", index: event.index, arguments: value };
  return { type: event.type as "text" | "reasoning", text: value };
}

/** The indexes of a stream's tool calls opened so far: the set is made with the first, as most streams have none. */
interface ToolCalls {
  toolIndexes: Set<number> | null;
}

function decodeDelta(delta: Json, calls: ToolCalls, out: StreamEvent[]): void {
  const reasoning = delta.reasoning_content ?? delta.reasoning;
  if (typeof reasoning === "string" && reasoning) out.push({ type: "reasoning", text: reasoning });
  const content = delta.content;
  if (typeof content === "string") {
    if (content) out.push({ type: "text", text: content });
  } else if (Array.isArray(content)) decodeContentChunks(content, out);
  if (typeof delta.refusal === "string" && delta.refusal) out.push({ type: "refusal", text: delta.refusal });
  if (!Array.isArray(delta.tool_calls)) return;
  const toolIndexes = (calls.toolIndexes ??= new Set());
  for (let position = 0; position < delta.tool_calls.length; position++) {
    const call: unknown = delta.tool_calls[position];
    if (!isObject(call)) continue;
    // Some servers omit `index` when each chunk carries one whole call.
    const index = typeof call.index === "number" ? call.index : toolIndexes.size + position;
    const fn = isObject(call.function) ? call.function : {};
    const id = typeof call.id === "string" && call.id ? call.id : undefined;
    const name = typeof fn.name === "string" ? fn.name : "";
    // A call opens on the first chunk naming it; some local servers never send an id, so make one.
    if ((id || name) && !toolIndexes.has(index)) {
      toolIndexes.add(index);
      out.push({ type: "tool_call_start", index, id: id ?? `call_${index}`, name });
    }
    if (typeof fn.arguments === "string" && fn.arguments) out.push({ type: "tool_call_delta", index, arguments: fn.arguments });
  }
}

function streamError(chunk: Json): SwitchyardError {
  const vendor = readVendorError(chunk, 502);
  // OpenRouter puts the upstream HTTP status in `error.code`; a mid-stream failure is a 502 otherwise.
  const status = typeof vendor.code === "number" && vendor.code >= 400 && vendor.code < 600 ? vendor.code : 502;
  return fromUpstreamStatus(status, vendor.message, { metadata: { upstream: { status, ...vendor } } });
}

/** The choices of the role chunk that opens every stream. */
const ROLE_CHOICES = JSON.stringify([{ index: 0, delta: { role: "assistant", content: "", refusal: null }, finish_reason: null }]);

/** What follows a text or reasoning token's string literal, to the end of its frame. */
const DELTA_CLOSE = '},"finish_reason":null}]}\n\n';
/** What follows a tool call's arguments literal. */
const ARGUMENTS_CLOSE = `}}]${DELTA_CLOSE}`;

/** Canonical events → OpenAI SSE text for one client stream. */
export class StreamEncoder {
  private readonly head: string;
  /** A text, reasoning and refusal token's frame up to the string's literal, made once a stream (the latter two at their first). */
  private readonly textOpening: string;
  private reasoningOpening: string | null = null;
  private refusalOpening: string | null = null;
  /** The same for the arguments of the last tool call written: a call's arguments come as many tokens in a row. */
  private argumentsOpening = { index: -1, text: "" };
  private started = false;

  /** The client's reasoning, none of which it may have asked to be shown (ReasoningOptions.exclude). */
  private readonly hideReasoning: boolean;

  constructor(private readonly info: { id: string; model: string; created: number; includeUsage: boolean; request?: ChatRequest }) {
    this.hideReasoning = info.request?.reasoning?.exclude === true;
    // Every chunk shares these fields: serialize them once, not per token.
    this.head = `{"id":${JSON.stringify(info.id)},"object":"chat.completion.chunk","created":${info.created},"model":${JSON.stringify(info.model)}`;
    this.textOpening = this.deltaOpening('"content":');
  }

  private deltaOpening(field: string): string {
    return `data: ${this.head},"choices":[{"index":0,"delta":{${field}`;
  }

  /**
   * A delta of one string, the frame of nearly every token: the string's literal between text
   * made once, with no objects to build and serialize. The same text as `delta()` would write.
   */
  private stringDelta(opening: string, value: string, closing: string): string {
    const frame = opening + JSON.stringify(value) + closing;
    return this.started ? frame : this.open() + frame;
  }

  private argumentsDelta(index: number, value: string): string {
    if (this.argumentsOpening.index !== index) {
      this.argumentsOpening = { index, text: this.deltaOpening(`"tool_calls":[{"index":${index},"function":{"arguments":`) };
    }
    return this.stringDelta(this.argumentsOpening.text, value, ARGUMENTS_CLOSE);
  }

  private chunk(choice: Json | null, usage?: Json): string {
    const choices = choice ? `[${JSON.stringify(choice)}]` : "[]";
    const usageField = usage ? `,"usage":${JSON.stringify(usage)}` : "";
    return `data: ${this.head},"choices":${choices}${usageField}}\n\n`;
  }

  /** The first chunk carries the role, as OpenAI's do; SDK accumulators expect it. "" once sent. */
  private open(): string {
    if (this.started) return "";
    this.started = true;
    return `data: ${this.head},"choices":${ROLE_CHOICES}}\n\n`;
  }

  private delta(delta: Json): string {
    return this.open() + this.chunk({ index: 0, delta, finish_reason: null });
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case "start":
        return this.open();
      case "text":
        return event.text ? this.stringDelta(this.textOpening, event.text, DELTA_CLOSE) : "";
      case "reasoning":
        return event.text && !this.hideReasoning ? this.stringDelta((this.reasoningOpening ??= this.deltaOpening('"reasoning":')), event.text, DELTA_CLOSE) : "";
      case "refusal":
        return event.text ? this.stringDelta((this.refusalOpening ??= this.deltaOpening('"refusal":')), event.text, DELTA_CLOSE) : "";
      case "tool_call_start":
        return this.delta({
          tool_calls: [{ index: event.index, id: event.id, type: "function", function: { name: event.name, arguments: "" } }],
        });
      case "tool_call_delta":
        return this.argumentsDelta(event.index, event.arguments);
      case "finish": {
        // Written as JSON.stringify would write the choice, without building it.
        const native = event.native === undefined ? "" : `,"native_finish_reason":${JSON.stringify(event.native)}`;
        return `${this.open()}data: ${this.head},"choices":[{"index":0,"delta":{},"finish_reason":${JSON.stringify(event.reason)}${native}}]}\n\n`;
      }
      case "usage":
        return ""; // the gateway meters usage and sends it once, in end()
      case "redacted_reasoning":
      case "reasoning_item":
        return ""; // encrypted for the vendor that made it: nothing a Chat Completions client can read
      case "anthropic_block":
      case "anthropic_delta":
        return ""; // Anthropic's own blocks: only its clients can send the tools that make them
    }
  }

  end(usage: Usage | undefined, costUsd?: number): string {
    const usageChunk = this.info.includeUsage && usage ? this.chunk(null, encodeUsage(usage, costUsd)) : "";
    return usageChunk + formatSse("[DONE]");
  }

  error(error: SwitchyardError): string {
    // The openai SDK throws an APIError on any data frame with an `error` field.
    return formatSse(JSON.stringify(error.toJSON()));
  }
}
