// A vendor call through `kit.http.send` waits as long as the endpoint's timeouts allow: Bun's fetch
// drops a connection silent for about five minutes unless told not to, and a vendor thinking
// before its first byte can be silent that long.

import { expect, test } from "bun:test";
import { createKit } from "../../core/kit/kit.ts";

test("send lifts the runtime's own idle limit and keeps everything the provider asked for", async () => {
  const seen: RequestInit[] = [];
  const kit = createKit({ fetch: (async (_url: string, init: RequestInit) => (seen.push(init), new Response("{}"))) as typeof fetch });
  const signal = new AbortController().signal;
  await kit.http.send("http://vendor.invalid/v1/chat/completions", { method: "POST", headers: { "x-api-key": "k" }, body: "{}", signal });
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({ method: "POST", headers: { "x-api-key": "k" }, body: "{}", timeout: false });
  expect(seen[0]!.signal).toBe(signal);
});
