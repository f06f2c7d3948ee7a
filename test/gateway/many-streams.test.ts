// A served gateway's upstream calls are not capped by the runtime's fetch queue: with more long
// streams in flight than Bun's fetch sends at once by default (256), every one reaches its vendor,
// and a short request to another vendor is answered meanwhile, not queued behind them.

import { afterAll, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { writeConfigDir } from "./harness.ts";
import { spawnGateway, withoutServerSettings } from "./process.ts";

const STREAMS = 300;

/** A vendor whose `slow` model opens a stream and says one word, then nothing until told to end; `quick` answers at once. */
let opened = 0;
const allOpened = Promise.withResolvers<void>();
const vendor = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  idleTimeout: 0,
  async fetch(request) {
    const body = (await request.json()) as { model: string };
    const chunk = (text: string) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
    if (body.model === "quick") {
      return Response.json({ id: "q", object: "chat.completion", created: 0, model: "quick", choices: [{ index: 0, message: { role: "assistant", content: "answered" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    }
    if (++opened === STREAMS) allOpened.resolve();
    return new Response(new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode(chunk("thinking"))) }), {
      headers: { "content-type": "text/event-stream" },
    });
  },
});
const { dir, configPath } = await writeConfigDir(`
storage: "sqlite::memory:"
providers: { vendor: { use: openai-compatible, base_url: "http://127.0.0.1:${vendor.port}/v1" } }
models:
  slow: [{ provider: vendor, model: slow, price: { input: 0, output: 0 } }]
  quick: [{ provider: vendor, model: quick, price: { input: 0, output: 0 } }]
routes: [{ name: direct, to: $model }]
`);
afterAll(async () => {
  await vendor.stop(true);
  await rm(dir, { recursive: true, force: true });
});

test(`${STREAMS} long streams all reach the vendor at once, and a short request is answered meanwhile`, async () => {
  const { child, url } = await spawnGateway([process.execPath, "main.ts"], ["--config", configPath, "--no-watch"], undefined, withoutServerSettings());
  const { port } = new URL(url);
  // Raw sockets: this process's own fetch would queue past 256 too.
  const body = JSON.stringify({ model: "slow", stream: true, messages: [{ role: "user", content: "think at length" }] });
  const request = `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const sockets = await Promise.all(
    Array.from({ length: STREAMS }, () => Bun.connect({ hostname: "127.0.0.1", port: Number(port), socket: { open: (socket) => void socket.write(request), data() {} } })),
  );
  try {
    await allOpened.promise;
    const quick = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "quick", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(quick.status).toBe(200);
    expect(((await quick.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe("answered");
  } finally {
    for (const socket of sockets) socket.end();
    child.kill("SIGTERM");
    await child.exited;
  }
}, 30_000);
