// A provider's answer in the shape its client asked for. A provider may answer a stream request
// whole (a user's plugin that cannot stream, an OpenAI-compatible server that ignores `stream`), or
// stream an answer asked for whole (a plugin that only streams). The client asked for SSE, or for
// JSON, and reads only that: sent the other, an SDK reads nothing, or fails to parse.

import { batchedEvents, type BatchedEvents, type ChatResponse, type ReasoningBlock, type StreamEvent } from "../kit/canonical.ts";

/** The answer as the events a vendor streaming it would have sent, in one batch. */
export function wholeAsStream(response: ChatResponse): BatchedEvents {
  return batchedEvents(() => {
    let sent = false;
    return {
      async next() {
        if (sent) return { done: true, value: undefined };
        sent = true;
        return { done: false, value: eventsOf(response) };
      },
      async return() {
        sent = true;
        return { done: true, value: undefined };
      },
    };
  });
}

/** Start, reasoning, text, refusal, each tool call, usage and finish, in the order a stream sends them. */
export function eventsOf(response: ChatResponse): StreamEvent[] {
  const events: StreamEvent[] = [{ type: "start", id: response.id, model: response.model }];
  if (response.reasoningBlocks) {
    for (const block of response.reasoningBlocks) {
      if (block.type === "thinking") events.push({ type: "reasoning", text: block.text, signature: block.signature });
      else if (block.type === "redacted") events.push({ type: "redacted_reasoning", data: block.data });
      else events.push({ type: "reasoning_item", id: block.id, encrypted: block.encrypted });
    }
  } else if (response.reasoning !== undefined || response.reasoningSignature !== undefined) {
    const signature = response.reasoningSignature;
    events.push({ type: "reasoning", text: response.reasoning ?? "", ...(signature !== undefined ? { signature } : {}), ...(response.reasoningSummary ? { summary: true } : {}) });
  }
  if (response.phases) {
    // Each message of a phase begins with it, a later one after the paragraph break that joins it in `text`.
    response.phases.forEach((message, i) => {
      const text = i > 0 ? `\n\n${message.text}` : message.text;
      events.push(message.phase !== undefined ? { type: "text", text, phase: message.phase } : { type: "text", text });
    });
  } else if (response.text) events.push({ type: "text", text: response.text });
  if (response.refusal) events.push({ type: "refusal", text: response.refusal });
  response.toolCalls.forEach((call, index) => {
    events.push({ type: "tool_call_start", index, id: call.id, name: call.name }, { type: "tool_call_delta", index, arguments: call.arguments });
  });
  if (response.usage) events.push({ type: "usage", usage: response.usage });
  events.push({ type: "finish", reason: response.finishReason, ...(response.nativeFinishReason ? { native: response.nativeFinishReason } : {}) });
  return events;
}

/** A stream's events gathered into the whole answer they make: eventsOf, the other way. */
export class WholeAnswer {
  private readonly response: ChatResponse;
  private readonly blocks: ReasoningBlock[] = [];

  constructor(now = Date.now()) {
    this.response = { id: "", model: "", created: Math.floor(now / 1000), text: "", toolCalls: [], finishReason: "stop" };
  }

  add(event: StreamEvent): void {
    const response = this.response;
    switch (event.type) {
      case "start":
        response.id = event.id;
        response.model = event.model;
        return;
      case "text":
        if (event.phase !== undefined) {
          // Text before the first message of a phase was a message of its own.
          const phases = (response.phases ??= response.text ? [{ text: response.text }] : []);
          phases.push({ phase: event.phase, text: response.text ? event.text.replace(/^\n\n/, "") : event.text });
        } else if (response.phases) response.phases[response.phases.length - 1]!.text += event.text;
        response.text += event.text;
        return;
      case "refusal":
        response.refusal = (response.refusal ?? "") + event.text;
        return;
      case "reasoning":
        response.reasoning = (response.reasoning ?? "") + event.text;
        if (event.signature !== undefined) response.reasoningSignature = event.signature;
        if (event.summary) response.reasoningSummary = true;
        return;
      case "redacted_reasoning":
        this.blocks.push({ type: "redacted", data: event.data });
        return;
      case "reasoning_item":
        this.blocks.push({ type: "openai", id: event.id, encrypted: event.encrypted });
        return;
      case "tool_call_start":
        response.toolCalls[event.index] = { id: event.id, name: event.name, arguments: "" };
        return;
      case "tool_call_delta": {
        const call = response.toolCalls[event.index];
        if (call) call.arguments += event.arguments;
        return;
      }
      case "usage":
        response.usage = event.usage;
        return;
      case "finish":
        response.finishReason = event.reason;
        if (event.native !== undefined) response.nativeFinishReason = event.native;
        return;
      // Anthropic's own blocks come only from its provider, which answers whole when asked to.
    }
  }

  build(): ChatResponse {
    const response = this.response;
    response.toolCalls = response.toolCalls.filter((call) => call !== undefined);
    if (this.blocks.length > 0) {
      // A signed reasoning text goes first, as a block of its own, beside the encrypted ones.
      const thinking: ReasoningBlock[] = response.reasoningSignature !== undefined ? [{ type: "thinking", text: response.reasoning ?? "", signature: response.reasoningSignature }] : [];
      response.reasoningBlocks = [...thinking, ...this.blocks];
    }
    return response;
  }
}
