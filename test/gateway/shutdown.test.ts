// SIGTERM under load: the gateway finishes what it accepted, flushes the ledger and exits; every
// request that got an answer has its row. Runs the real CLI in its own process.

import { afterAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { openLedger } from "../../core/ledger/index.ts";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { testStorages } from "../storages.ts";
import { chatBody, postJson, writeConfigDir } from "./harness.ts";
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
