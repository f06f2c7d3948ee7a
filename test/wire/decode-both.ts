// Decodes a vendor stream both ways the gateway can, and checks that they agree.

import { expect } from "bun:test";
import { EVENT_BATCHES, type BatchedEvents, type EventBatches, type StreamEvent } from "../../core/kit/canonical.ts";
import { readSse, type SseMessage } from "../../core/kit/sse.ts";

/** Bytes in chunks of `size`: frames split anywhere, as a network delivers them. */
export function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += size)));
    },
  });
}

/** A batch stream read to its end: the batches before the last step, and what that step carried. */
export async function readBatches(batches: EventBatches): Promise<{ batches: StreamEvent[][]; last: StreamEvent[] | undefined }> {
  const before: StreamEvent[][] = [];
  let step = await batches.next();
  for (; !step.done; step = await batches.next()) before.push(step.value);
  return { batches: before, last: step.value };
}

interface Codec {
  decodeStream(messages: AsyncIterable<SseMessage>): AsyncIterable<StreamEvent>;
  decodeStreamBody(body: ReadableStream<Uint8Array>): BatchedEvents;
}

/**
 * Message by message from readSse, and in batches straight from the body (split into 7-byte
 * reads): both must give the same events or both fail. Returns the events, or throws the error.
 */
export async function decodeBoth(codec: Codec, text: string): Promise<StreamEvent[]> {
  const one = async () => {
    const events: StreamEvent[] = [];
    for await (const event of codec.decodeStream(readSse(new Response(text).body!))) events.push(event);
    return events;
  };
  const batched = async () => {
    const { batches, last } = await readBatches(codec.decodeStreamBody(chunked(text, 7))[EVENT_BATCHES]());
    return [...batches.flat(), ...(last ?? [])];
  };
  const [a, b] = await Promise.allSettled([one(), batched()]);
  if (a.status === "rejected") {
    expect(b.status).toBe("rejected");
    throw a.reason;
  }
  expect(b).toEqual(a);
  return a.value;
}
