// The streamed response body on its own: batches written in order and closed with the end frame,
// and a failure on our side mid-stream that still ends the relay (which writes the ledger row).

import { expect, test } from "bun:test";
import { errors } from "../../core/errors.ts";
import { Cancellation } from "../../core/gateway/cancellation.ts";
import type { ChatOutcome } from "../../core/gateway/pipeline.ts";
import type { StreamEvent } from "../../core/kit/canonical.ts";
import type { StreamEncoder } from "../../core/server/ingress.ts";
import { sseBody, sseSource } from "../../core/server/sse-body.ts";

const text = (value: string): StreamEvent => ({ type: "text", text: value });

/**
 * A relay of these batches that records whether it was ended (its `finally` ran). Like the
 * gateway's, it is settled once ended; with `settlesWithLast`, as soon as it hands on the last
 * batch, as the gateway's does when the vendor's last read ends the stream.
 */
function relay(batches: StreamEvent[][], settlesWithLast = false) {
  const state = { ended: false };
  async function* events() {
    try {
      for (const [i, batch] of batches.entries()) {
        if (settlesWithLast && i === batches.length - 1) state.ended = true;
        yield batch;
      }
    } finally {
      state.ended = true;
    }
  }
  const outcome = streamOutcome(events(), () => (state.ended ? { usage: { inputTokens: 3, outputTokens: 2 }, costUsd: 0.5 } : null));
  return { outcome, state };
}

function streamOutcome(
  events: AsyncIterable<StreamEvent[]>,
  settlement: Extract<ChatOutcome, { kind: "stream" }>["settlement"],
): Extract<ChatOutcome, { kind: "stream" }> {
  return { kind: "stream", served: { route: null, model: null, provider: null, attempts: [], overheadMs: 0 }, events, whole: () => null, settlement };
}

const encoder = (failOn?: string): StreamEncoder => ({
  encode(event) {
    if (event.type === "text" && event.text === failOn) throw new Error("encoder failed");
    return event.type === "text" ? `[${event.text}]` : "";
  },
  end: (usage, costUsd) => `[end ${usage?.outputTokens} ${costUsd}]`,
  error: (error) => `[error ${error.code}]`,
});

test("every batch is written in order, then the end frame, and the request is released once", async () => {
  const { outcome, state } = relay([[text("a"), text("b")], [text("c")]]);
  let released = 0;
  const body = await new Response(sseBody(outcome, encoder(), { client: new Cancellation(), release: () => released++, keepaliveMs: 0 })).text();
  expect(body).toBe("[a][b][c][end 2 0.5]");
  expect(state.ended).toBe(true);
  expect(released).toBe(1);
});

test("an encoder that fails mid-stream ends the stream with an error frame and ends the relay", async () => {
  const { outcome, state } = relay([[text("a")], [text("b")], [text("c")]]);
  let released = 0;
  const body = await new Response(sseBody(outcome, encoder("b"), { client: new Cancellation(), release: () => released++, keepaliveMs: 0 })).text();
  expect(body).toBe(`[a][error ${errors.internal("x").code}]`);
  expect(state.ended).toBe(true);
  expect(released).toBe(1);
});

/** The body's writes, one string each, as the source makes them (the server sends them as the event loop turns). */
async function writesOf(outcome: Extract<ChatOutcome, { kind: "stream" }>): Promise<string[]> {
  const { pulled, writes } = pull(outcome);
  await pulled;
  return writes;
}

/** The source's pull into a controller that keeps each write. */
function pull(outcome: Extract<ChatOutcome, { kind: "stream" }>) {
  const writes: string[] = [];
  const controller = { write: (chunk: Uint8Array) => writes.push(new TextDecoder().decode(chunk)), close: () => {} };
  const pulled = sseSource(outcome, encoder(), { client: new Cancellation(), release: () => {}, keepaliveMs: 0 }).pull(controller as unknown as ReadableStreamDirectController);
  return { pulled, writes };
}

test("each batch is written as it comes; the last one, handed on after the relay settled, with the closing frames", async () => {
  expect(await writesOf(relay([[text("a"), text("b")], [text("c")]], true).outcome)).toEqual(["[a][b]", "[c][end 2 0.5]"]);
});

test("a relay still open after its last batch writes the closing frames on their own", async () => {
  expect(await writesOf(relay([[text("a"), text("b")], [text("c")]]).outcome)).toEqual(["[a][b]", "[c]", "[end 2 0.5]"]);
});

/**
 * A relay whose first batch, [a], is ready at once, as the gateway's hands on the attempt's first
 * read; its second waits for `second.resolve`.
 */
function secondPending() {
  const second = Promise.withResolvers<IteratorResult<StreamEvent[]>>();
  const steps = [Promise.resolve({ done: false, value: [text("a")] }), second.promise];
  const events: AsyncIterableIterator<StreamEvent[]> = {
    [Symbol.asyncIterator]: () => events,
    next: () => steps.shift() ?? Promise.resolve({ done: true, value: undefined }),
  };
  return { outcome: streamOutcome(events, () => null), second };
}

/** The body served over a real socket, read by `client` chunk by chunk as the client receives it. */
async function overSocket(outcome: Extract<ChatOutcome, { kind: "stream" }>, keepaliveMs: number, client: (read: () => Promise<string | null>) => Promise<void>) {
  const server = Bun.serve({
    port: 0,
    fetch: () => new Response(sseBody(outcome, encoder(), { client: new Cancellation(), release: () => {}, keepaliveMs })),
  });
  try {
    const reader = (await fetch(server.url)).body!.getReader();
    const decoder = new TextDecoder();
    await client(async () => {
      const chunk = await reader.read();
      return chunk.done ? null : decoder.decode(chunk.value);
    });
  } finally {
    await server.stop(true);
  }
}

test("a batch written while the vendor's next read is pending reaches the client before that read ends", async () => {
  const { outcome, second } = secondPending();
  await overSocket(outcome, 0, async (read) => {
    expect(await read()).toBe("[a]");
    second.resolve({ done: false, value: [text("b")] });
    expect(await read()).toStartWith("[b]");
  });
});

test("a batch ready when the body starts is written before anything is awaited, so the response head leaves with it", async () => {
  const { outcome, second } = secondPending();
  const { pulled, writes } = pull(outcome);
  expect(writes).toEqual(["[a]"]);
  second.resolve({ done: false, value: [text("b")] });
  await pulled;
  expect(writes).toEqual(["[a]", "[b]", "[end undefined undefined]"]);
});

test("while the vendor's next read is pending, the body writes keep-alive comments, and none once the stream goes on", async () => {
  const { outcome, second } = secondPending();
  await overSocket(outcome, 5, async (read) => {
    expect(await read()).toBe("[a]");
    expect(await read()).toBe(": keep-alive\n\n");
    second.resolve({ done: false, value: [text("b")] });
    let rest = "";
    for (let chunk = await read(); chunk !== null; chunk = await read()) rest += chunk;
    // Comments written before [b] may still be on their way; after it, only the end.
    expect(rest).toEndWith("[b][end undefined undefined]");
    expect(rest.replaceAll(": keep-alive\n\n", "")).toBe("[b][end undefined undefined]");
  });
});
