// A whole answer to a stream request, as a stream. A provider may answer a stream request whole: a
// user's plugin that cannot stream, or an OpenAI-compatible server that ignores `stream`. Its
// client asked for SSE and reads SSE; sent JSON, an SDK's stream reads nothing and says nothing.

import { batchedEvents, type BatchedEvents, type ChatResponse, type StreamEvent } from "../kit/canonical.ts";

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
    events.push({ type: "reasoning", text: response.reasoning ?? "", ...(signature !== undefined ? { signature } : {}) });
  }
  if (response.text) events.push({ type: "text", text: response.text });
  if (response.refusal) events.push({ type: "refusal", text: response.refusal });
  response.toolCalls.forEach((call, index) => {
    events.push({ type: "tool_call_start", index, id: call.id, name: call.name }, { type: "tool_call_delta", index, arguments: call.arguments });
  });
  if (response.usage) events.push({ type: "usage", usage: response.usage });
  events.push({ type: "finish", reason: response.finishReason, ...(response.nativeFinishReason ? { native: response.nativeFinishReason } : {}) });
  return events;
}
