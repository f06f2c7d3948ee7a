// SIGTERM under load: the gateway finishes what it accepted, flushes the ledger and exits; every
// request that got an answer has its row. Runs the real CLI in its own process.

import { afterAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import { openLedger } from "../../core/ledger/index.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { testStorages } from "../storages.ts";
import { DEAF_STREAMER } from "../reload/plugin-files.ts";
import { chatBody, openaiClient, postJson, startGateway, writeConfigDir } from "./harness.ts";
import { spawnGateway } from "./process.ts";

const fake = startFakeOpenAI({ kind: "reply", reply: { text: "ok", usage: { input: 3, output: 2 } }, delayMs: 5 });
const storages = await testStorages();
afterAll(async () => {
  await fake.close();
  for (const storage of storages) await storage.cleanup();
});

for (const storage of storages) {
  describe(`shutdown on ${storage.name}`, () => {
    test("SIGTERM during load loses no ledger row", async () => {
      const url = await storage.fresh();
      const { dir, configPath } = await writeConfigDir(`
storage: "${url}"
providers: { openai: { use: openai, api_key: "sk-shutdown", base_url: "${fake.url}/v1" } }
models: { gpt-5-mini: [{ provider: openai, model: gpt-5-mini, price: { input: 1, output: 1 } }] }
routes: [{ name: direct, to: $model }]
`);
      const { child, url: base } = await spawnGateway([process.execPath, "main.ts"], ["--config", configPath]);
      let answered = 0;
      let sent = 0;
      let stopped = false;
      const worker = async () => {
        while (!stopped && sent < 2000) {
          sent++;
          try {
            const response = await postJson(`${base}/v1/chat/completions`, chatBody("gpt-5-mini", "hi"));
            await response.arrayBuffer();
            answered++;
            if (answered === 150) child.kill("SIGTERM");
          } catch {
            stopped = true; // the server has stopped accepting connections
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      expect(await child.exited).toBe(0);
      const ledger = await openLedger(url);
      const rows = await ledger.usage({ by: "model" });
      await ledger.close();
      const recorded = rows.reduce((sum, row) => sum + row.requests, 0);
      expect(answered).toBeGreaterThanOrEqual(150);
      expect(recorded).toBe(answered);
      await rm(dir, { recursive: true, force: true });
    }, 60_000);
  });
}

describe("shutdown past its grace", () => {
  test("ends what is still in flight with a 503 the client reads, a stream with an error event, and records each", async () => {
    const slow = startFakeOpenAI();
    const { dir } = await writeConfigDir("");
    const storage = `sqlite:${join(dir, "ledger.db")}`;
    const gateway = await startGateway(
      `plugins: [./plugins]
providers: { openai: { use: openai-compatible, base_url: "${slow.url}/v1" }, deaf: { use: deaf } }
models: { slow: [{ provider: openai, model: slow, price: { input: 1, output: 1 } }], deaf: [{ provider: deaf, model: deaf, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`,
      { storage, files: { "plugins/deaf.ts": DEAF_STREAMER } },
    );
    try {
      const client = openaiClient(gateway);
      // A stream whose vendor sends a word every 100 ms, and an answer the vendor holds for 5 s.
      slow.enqueue({ kind: "reply", reply: { text: "word ".repeat(50) }, frameGapMs: 100 }, { kind: "reply", reply: { text: "late" }, delayMs: 5000 });
      const stream = await client.chat.completions.create({ model: "slow", messages: [{ role: "user", content: "talk" }], stream: true });
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      // And a plugin's stream that waits on its own, deaf to its signal.
      const deaf = (await client.chat.completions.create({ model: "deaf", messages: [{ role: "user", content: "talk" }], stream: true }))[Symbol.asyncIterator]();
      const deafFirst = await deaf.next();
      const waiting = postJson(`${gateway.url}/v1/chat/completions`, chatBody("slow", "wait"));
      while (gateway.runtime.inflight < 3) await Bun.sleep(5);
      const stopped = gateway.stop(50);
      const endOf = (stream: typeof iterator) =>
        (async () => {
          for (;;) if ((await stream.next()).done) return null;
        })().catch((error: unknown) => error);
      const [streamEnd, deafEnd] = [endOf(iterator), endOf(deaf)];
      const answer = await waiting;
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toContain("the gateway is shutting down");
      for (const ended of [await streamEnd, await deafEnd]) {
        expect(ended).toBeInstanceOf(OpenAI.APIError);
        expect((ended as Error).message).toContain("the gateway is shutting down");
      }
      await stopped;
      // Each is recorded as the gateway's 503, not as a client that went away (499).
      const ledger = await openLedger(storage);
      const rows = [await ledger.generation(first.value!.id), await ledger.generation(answer.headers.get("x-request-id")!), await ledger.generation(deafFirst.value!.id)];
      await ledger.close();
      expect(rows.map((row) => row?.status)).toEqual([503, 503, 503]);
    } finally {
      await slow.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
