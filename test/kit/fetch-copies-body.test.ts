// The OpenAI-compatible providers hand Bun's fetch an edited request body in a buffer they reuse
// for the next request (core/wire/forward.ts). That is safe only while fetch copies a byte
// body before it returns; this pins it, so a runtime that stops doing so fails here first.

import { afterAll, expect, test } from "bun:test";
import { copyingFetch, defaultFetch } from "../../core/kit/http.ts";

const FILL = 97;
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const body = new Uint8Array(await request.arrayBuffer());
    return Response.json({ length: body.length, foreign: body.filter((byte) => byte !== FILL).length });
  },
});
afterAll(() => server.stop(true));

test.each([100, 64 * 1024, 1024 * 1024])("a %i-byte view overwritten right after fetch returns arrives as it was sent", async (size) => {
  const buffer = new Uint8Array(size + 64);
  const answers: Promise<{ length: number; foreign: number }>[] = [];
  for (let i = 0; i < 20; i++) {
    buffer.fill(FILL);
    const sent = copyingFetch(server.url, { method: "POST", body: buffer.subarray(32, 32 + size) });
    buffer.fill(FILL + 1); // what the next request would write there
    answers.push(sent.then((response) => response.json()));
  }
  expect(await Promise.all(answers)).toEqual(Array.from({ length: 20 }, () => ({ length: size, foreign: 0 })));
});

test("a kit's fetch is Bun's own unless something replaced the global fetch first", () => {
  expect(defaultFetch()).toBe(copyingFetch);
  const original = globalThis.fetch;
  const replaced = (async () => new Response("")) as unknown as typeof fetch;
  globalThis.fetch = replaced;
  try {
    expect(defaultFetch()).not.toBe(copyingFetch);
  } finally {
    globalThis.fetch = original;
  }
});
