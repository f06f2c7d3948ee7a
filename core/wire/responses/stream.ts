// Canonical events → the Responses API's semantic SSE events for one client stream: the response
// created, each output item added, its deltas, its part and the item done, then the response
// completed (or incomplete) with its usage and cost. Each event is numbered; there is no [DONE].

import type { SwitchyardError } from "../../errors.ts";
import type { ChatRequest, FinishReason, StreamEvent, Usage } from "../../kit/canonical.ts";
import { freeformInput, freeformNames } from "./freeform.ts";
import {
  customToolCallItem,
  encodeUsage,
  encryptedReasoningItem,
  finalStatus,
  functionCallItem,
  messageItem,
  reasoningItem,
  reasoningPart,
  summaryItem,
  summaryPart,
  refusalPart,
  responseObject,
  textPart,
  type ResponseInfo,
} from "./response.ts";

type Json = Record<string, unknown>;

/** An item of one string, streamed as deltas into its one content part: the message's text or refusal, or reasoning. */
interface TextItem {
  /** `summary`: a summary of the reasoning, a reasoning item's `summary` part. */
  kind: "text" | "refusal" | "reasoning" | "summary";
  at: number;
  text: string;
  /** A message's phase (`commentary`, `final_answer`), where the vendor gave one. */
  phase?: string;
  /** OpenAI's own id of the reasoning item this text belongs to: the item goes under it, with its encrypted content. */
  vendorId?: string;
}

interface CallItem {
  at: number;
  id: string;
  name: string;
  arguments: string;
  /** A freeform tool's call: its text is sent whole when the stream ends, taken out of the canonical JSON arguments. */
  freeform: boolean;
}

const PART: Record<TextItem["kind"], (text: string) => Json> = { text: textPart, refusal: refusalPart, reasoning: reasoningPart, summary: summaryPart };
/** Each kind's delta and done events, and the member its done event carries the whole string in. */
const EVENTS: Record<TextItem["kind"], { delta: string; done: string; member: string }> = {
  text: { delta: "response.output_text.delta", done: "response.output_text.done", member: "text" },
  refusal: { delta: "response.refusal.delta", done: "response.refusal.done", member: "refusal" },
  reasoning: { delta: "response.reasoning_text.delta", done: "response.reasoning_text.done", member: "text" },
  summary: { delta: "response.reasoning_summary_text.delta", done: "response.reasoning_summary_text.done", member: "text" },
};

/** OpenAI's codes of a failed response (`response.error.code`) for the gateway's that have one; the rest are `server_error`. */
const FAILED_CODE: Partial<Record<SwitchyardError["code"], string>> = { rate_limited: "rate_limit_exceeded", context_length_exceeded: "context_length_exceeded" };

/** Where each kind's string sits in its item: a summary in the item's `summary`, the rest in its content. */
const INDEX: Record<TextItem["kind"], string> = { text: "content_index", refusal: "content_index", reasoning: "content_index", summary: "summary_index" };
const PART_EVENTS: Record<TextItem["kind"], { added: string; done: string }> = {
  text: { added: "response.content_part.added", done: "response.content_part.done" },
  refusal: { added: "response.content_part.added", done: "response.content_part.done" },
  reasoning: { added: "response.content_part.added", done: "response.content_part.done" },
  summary: { added: "response.reasoning_summary_part.added", done: "response.reasoning_summary_part.done" },
};

export class StreamEncoder {
  private sequence = 0;
  private started = false;
  /** The output by place: each item as it was added, replaced by its final form when done. */
  private readonly output: Json[] = [];
  /** The message or reasoning item being written; another item's start ends it. */
  private current: TextItem | null = null;
  /** Function calls by their canonical index, open until the stream ends (a vendor may interleave their arguments). */
  private readonly calls = new Map<number, CallItem>();
  private finish: FinishReason | undefined;
  private native: string | undefined;
  private readonly freeform: ReadonlySet<string> | null;

  constructor(private readonly info: ResponseInfo & { request?: ChatRequest }) {
    this.freeform = freeformNames(info.request?.tools);
  }

  encode(event: StreamEvent): string {
    let text = this.open();
    switch (event.type) {
      case "text":
      case "refusal":
      case "reasoning": {
        if (!event.text) return text;
        const kind = event.type === "reasoning" && event.summary ? "summary" : event.type;
        // A message of a phase is a message item of its own, without the break that joins it to the one before for other clients.
        const phase = event.type === "text" ? event.phase : undefined;
        const piece = phase !== undefined && this.output.length > 0 ? event.text.replace(/^\n\n/, "") : event.text;
        const vendorId = event.type === "reasoning" ? event.item : undefined;
        if (this.current?.kind !== kind || phase !== undefined || (vendorId !== undefined && vendorId !== this.current.vendorId)) text += this.startText(kind, phase, vendorId);
        const item = this.current!;
        item.text += piece;
        const delta: Json = { item_id: this.itemId(item.at), output_index: item.at, [INDEX[kind]]: 0, delta: piece };
        if (kind === "text") delta.logprobs = [];
        return text + this.event(EVENTS[kind].delta, delta);
      }
      case "tool_call_start":
        return text + this.startCall(event.index, event.id, event.name);
      case "tool_call_delta": {
        // A vendor that never named the call still gets it opened, as the Chat Completions decoder opens one.
        if (!this.calls.has(event.index)) text += this.startCall(event.index, `call_${event.index}`, "");
        const call = this.calls.get(event.index)!;
        call.arguments += event.arguments;
        if (call.freeform) return text;
        return text + this.event("response.function_call_arguments.delta", { item_id: this.itemId(call.at), output_index: call.at, delta: event.arguments });
      }
      case "reasoning_item": {
        // The end of the reasoning item whose summary was just written: one item, summary and encrypted content.
        const current = this.current;
        if (current?.vendorId !== undefined && current.vendorId === event.id) return text + this.endText(-1, event.encrypted);
        // OpenAI's encrypted reasoning, whole and under its own id: the client sends it back as it came.
        text += this.endText();
        const at = this.output.length;
        const item = encryptedReasoningItem(event);
        this.output.push(item);
        return text + this.event("response.output_item.added", { output_index: at, item }) + this.itemDone(at, item);
      }
      case "finish":
        this.finish = event.reason;
        this.native = event.native;
        return text;
      case "start":
      case "usage": // metered by the gateway, sent with the response completed
      case "redacted_reasoning": // encrypted for the vendor that made it: nothing a client can read
      case "anthropic_block": // Anthropic's own blocks: only its clients can send the tools that make them
      case "anthropic_delta":
        return text;
    }
  }

  end(usage: Usage | undefined, costUsd?: number): string {
    const status = finalStatus(this.finish, this.native);
    // What the cut fell on, the last item, is incomplete too: a call's arguments, cut, are no call to run.
    const cut = status.status === "incomplete" ? this.output.length - 1 : -1;
    let text = this.open() + this.endText(cut);
    for (const call of this.calls.values()) {
      const item_id = this.itemId(call.at);
      if (call.freeform) {
        const input = freeformInput(call.arguments);
        if (input) text += this.event("response.custom_tool_call_input.delta", { item_id, output_index: call.at, delta: input });
        text += this.event("response.custom_tool_call_input.done", { item_id, output_index: call.at, input });
        text += this.itemDone(call.at, customToolCallItem(this.info.id, call.at, call, input));
      } else {
        text += this.event("response.function_call_arguments.done", { item_id, output_index: call.at, name: call.name, arguments: call.arguments });
        text += this.itemDone(call.at, functionCallItem(this.info.id, call.at, call, call.at === cut ? "incomplete" : "completed"));
      }
    }
    this.calls.clear();
    const type = `response.${status.status}`;
    return text + this.event(type, { response: responseObject(this.info, status, this.output, usage && encodeUsage(usage, costUsd)) });
  }

  /**
   * A failure after the stream began: `response.failed`, the response with its output so far and
   * why, which Codex and other Responses clients read as the turn's end, then the error event
   * whose `error` member the openai SDK throws on.
   */
  error(error: SwitchyardError): string {
    const { error: body } = error.toJSON();
    const status = { status: "failed" as const, error: { code: FAILED_CODE[error.code] ?? "server_error", message: body.message } };
    const failed = this.open() + this.event("response.failed", { response: responseObject(this.info, status, this.output) });
    return failed + this.event("error", { code: body.code, message: body.message, param: null, error: body });
  }

  private open(): string {
    if (this.started) return "";
    this.started = true;
    const response = responseObject(this.info, { status: "in_progress" }, []);
    return this.event("response.created", { response }) + this.event("response.in_progress", { response });
  }

  private startText(kind: TextItem["kind"], phase?: string, vendorId?: string): string {
    let text = this.endText();
    const at = this.output.length;
    const item = kind === "reasoning" ? reasoningItem(this.info.id, at, []) : kind === "summary" ? summaryItem(this.info.id, at, []) : messageItem(this.info.id, at, [], "in_progress", phase);
    if (vendorId) item.id = vendorId;
    this.output.push(item);
    this.current = { kind, at, text: "", ...(phase !== undefined ? { phase } : {}), ...(vendorId ? { vendorId } : {}) };
    text += this.event("response.output_item.added", { output_index: at, item });
    return text + this.event(PART_EVENTS[kind].added, { item_id: item.id, output_index: at, [INDEX[kind]]: 0, part: PART[kind]("") });
  }

  /**
   * The message or reasoning item being written, done: its string whole, its part, the item.
   * `cut`: the index of the item a cut answer ended on, which is incomplete; `encrypted`: a
   * reasoning item's encrypted content, which it carries beside its summary.
   */
  private endText(cut = -1, encrypted?: string): string {
    const item = this.current;
    if (!item) return "";
    this.current = null;
    const itemId = this.itemId(item.at);
    const { done, member } = EVENTS[item.kind];
    const part = PART[item.kind](item.text);
    const whole: Json = { item_id: itemId, output_index: item.at, [INDEX[item.kind]]: 0, [member]: item.text };
    if (item.kind === "text") whole.logprobs = [];
    let text = this.event(done, whole);
    text += this.event(PART_EVENTS[item.kind].done, { item_id: itemId, output_index: item.at, [INDEX[item.kind]]: 0, part });
    const final = item.kind === "reasoning" ? reasoningItem(this.info.id, item.at, [part]) : item.kind === "summary" ? summaryItem(this.info.id, item.at, [part]) : messageItem(this.info.id, item.at, [part], item.at === cut ? "incomplete" : "completed", item.phase);
    if (item.vendorId) final.id = item.vendorId;
    if (encrypted !== undefined) final.encrypted_content = encrypted;
    return text + this.itemDone(item.at, final);
  }

  private startCall(index: number, id: string, name: string): string {
    const text = this.endText();
    const call: CallItem = { at: this.output.length, id, name, arguments: "", freeform: this.freeform?.has(name) === true };
    const item = call.freeform ? customToolCallItem(this.info.id, call.at, call, "") : functionCallItem(this.info.id, call.at, call, "in_progress");
    this.output.push(item);
    this.calls.set(index, call);
    return text + this.event("response.output_item.added", { output_index: call.at, item });
  }

  private itemDone(at: number, item: Json): string {
    this.output[at] = item;
    return this.event("response.output_item.done", { output_index: at, item });
  }

  private itemId(at: number): string {
    return this.output[at]!.id as string;
  }

  private event(type: string, data: Json): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.sequence++, ...data })}\n\n`;
  }
}
