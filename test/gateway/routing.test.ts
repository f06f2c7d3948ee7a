// Routing decisions seen from a client: live latency moves traffic, the shipped config answers with
// no keys, and malformed requests are refused with errors that name the problem.

import { afterAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { chatBody, openaiClient, postJson, startGateway } from "./harness.ts";

const slow = startFakeOpenAI({ kind: "reply", reply: { text: "slow answer" }, delayMs: 150 });
const fast = startFakeOpenAI({ kind: "reply", reply: { text: "fast answer" } });
afterAll(async () => {
  await slow.close();
  await fast.close();
});

describe("routing on live stats", () => {
  test("require: latency.p95 moves traffic off an endpoint that became slow", async () => {
    const gateway = await startGateway(`
version: 1
providers:
  slow: { use: openai-compatible, base_url: "${slow.url}/v1" }
  fast: { use: openai-compatible, base_url: "${fast.url}/v1" }
models:
  primary: [{ provider: slow, model: m, price: { input: 0.1, output: 0.1 } }]
  secondary: [{ provider: fast, model: m, price: { input: 1, output: 1 } }]
pools:
  quick:
    pick: cheapest
    among: [primary, secondary]
    require: latency.p95 < 100ms
routes:
  - name: auto
    to: quick
`);
    try {
      const client = openaiClient(gateway);
      const ask = async () => (await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "hi" }] })).choices[0]!.message.content;
      // No samples yet: the cheap endpoint passes `require` and is tried first; it answers slowly.
      expect(await ask()).toBe("slow answer");
      // Its p95 is now above 100 ms: traffic moves to the dearer, fast endpoint.
      expect(await ask()).toBe("fast answer");
      expect(await ask()).toBe("fast answer");
    } finally {
      await gateway.close();
    }
  });
});

describe("the shipped config", () => {
  test("answers a chat request with no vendor keys set, through the echo demo provider", async () => {
    const shipped = await readFile(new URL("../../router.config.yaml", import.meta.url), "utf8");
    const gateway = await startGateway(shipped);
    try {
      const client = openaiClient(gateway);
      const { data, response } = await client.chat.completions
        .create({ model: "claude-sonnet", messages: [{ role: "user", content: "hello switchyard" }] })
        .withResponse();
      expect(data.choices[0]!.message.content).toContain("hello switchyard");
      expect(response.headers.get("x-switchyard-provider")).toBe("demo");
      const stream = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "stream me" }], stream: true });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      expect(text).toContain("stream me");
    } finally {
      await gateway.close();
    }
  });
});

describe("bad requests", () => {
  test("a body that breaks the schema is a 400 naming the field", async () => {
    const gateway = await startGateway(`
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
server: { body_limit: 2048 }
`);
    try {
      const wrongType = await postJson(`${gateway.url}/v1/chat/completions`, { model: "echo", messages: "hello" });
      expect(wrongType.status).toBe(400);
      const body = (await wrongType.json()) as { error: { message: string; type: string; code: string } };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.message).toContain("messages");

      const badTemperature = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("echo", "hi", { temperature: "hot" }));
      expect(badTemperature.status).toBe(400);
      expect(((await badTemperature.json()) as { error: { message: string } }).error.message).toContain("temperature");

      const notJson = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
      expect(notJson.status).toBe(400);

      const tooLarge = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("echo", "x".repeat(4096)));
      expect(tooLarge.status).toBe(413);
      expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");

      // Far past the limit, and with no declared length, the refusal still names the limit.
      const farTooLarge = await postJson(`${gateway.url}/v1/chat/completions`, chatBody("echo", "x".repeat(8 * 1024 * 1024)));
      expect(farTooLarge.status).toBe(413);
      expect(((await farTooLarge.json()) as { error: { message: string } }).error.message).toContain("2048");
      const chunks = (count: number) =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"model":"echo","messages":[{"role":"user","content":"'));
            for (let i = 0; i < count; i++) controller.enqueue(new Uint8Array(1024).fill(120));
            controller.enqueue(new TextEncoder().encode('"}]}'));
            controller.close();
          },
        });
      const post = (body: ReadableStream<Uint8Array>) =>
        fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", body, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit);
      const chunked = await post(chunks(4096));
      expect(chunked.status).toBe(413);
      expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
      // A chunked body within the limit is read whole.
      const small = await post(chunks(1));
      expect(small.status).toBe(200);

      // The same refusal on the Anthropic endpoint carries Anthropic's type for it.
      const tooLargeMessages = await postJson(`${gateway.url}/v1/messages`, { model: "echo", max_tokens: 5, messages: [{ role: "user", content: "x".repeat(4096) }] });
      expect(tooLargeMessages.status).toBe(413);
      expect(await tooLargeMessages.json()).toMatchObject({ type: "error", error: { type: "request_too_large", code: "payload_too_large" } });

      const messagesWithoutMaxTokens = await postJson(`${gateway.url}/v1/messages`, { model: "echo", messages: [{ role: "user", content: "hi" }] });
      expect(messagesWithoutMaxTokens.status).toBe(400);
      expect(((await messagesWithoutMaxTokens.json()) as { error: { message: string } }).error.message).toContain("max_tokens");

      const unknownPath = await fetch(`${gateway.url}/v1/nothing-here`);
      expect(unknownPath.status).toBe(404);
      expect(((await unknownPath.json()) as { error: { code: string } }).error.code).toBe("not_found");
    } finally {
      await gateway.close();
    }
  });
});
