// What a vendor sends is read up to a bound: an answer, an error page or a stream's line that never
// ends must not take the process's memory.

import { expect, test } from "bun:test";
import { createKit } from "../../core/kit/kit.ts";
import { readSse } from "../../core/kit/sse.ts";

/** A body of `chunk` repeated without end, as a broken vendor sends one. */
function endless(chunk: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({ pull: (controller) => controller.enqueue(chunk) });
}

const MB = new Uint8Array(1024 * 1024).fill(0x61);

test("an answer of no declared length that never ends is a retryable upstream error once past 64 MB", async () => {
  const kit = createKit();
  const error = await kit.http.body(new Response(endless(MB))).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "upstream_error", retryable: true, message: "the vendor's answer passed 64 MB unfinished" });
  // One of a declared length within it is read as it is.
  expect(await kit.http.body(new Response('{"ok":true}'))).toEqual({ ok: true });
});

test("a stream line that never ends is a retryable upstream error once past 8 MB", async () => {
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode('data: {"ok":1}\n\ndata: {"choices":[{"delta":{"content":"')),
    pull: (controller) => controller.enqueue(MB),
  });
  const seen: string[] = [];
  const error = await (async () => {
    for await (const message of readSse(body)) seen.push(message.data);
  })().catch((e: unknown) => e);
  expect(seen).toEqual(['{"ok":1}']);
  expect(error).toMatchObject({ code: "upstream_error", message: "the vendor's stream sent a line of over 8 MB with no end" });
});
