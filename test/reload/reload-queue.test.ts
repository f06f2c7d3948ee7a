// Triggers that come while a reload runs queue exactly one more reload after it, so the last edit
// saved is always the one that ends up serving.

import { afterEach, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { chatBody, postJson, startGateway, type Gateway } from "../gateway/harness.ts";
import { GATED_PROVIDER, type CreateGate } from "./plugin-files.ts";

const config = (version: string) => `
plugins: [./plugins]
providers: { mine: { use: gated, version: "${version}" } }
models: { gated: [{ provider: mine, model: g, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`;

const global = globalThis as { createGate?: CreateGate };
let gateway: Gateway | null = null;
afterEach(async () => {
  delete global.createGate;
  await gateway?.close();
  gateway = null;
});

async function answer(g: Gateway): Promise<string> {
  const response = await postJson(`${g.url}/v1/chat/completions`, chatBody("gated", "ping"));
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0]!.message.content;
}

test("an edit saved while a slow reload runs is applied by one more reload after it", async () => {
  gateway = await startGateway(config("w1"), { files: { "plugins/gated.ts": GATED_PROVIDER } });
  let openGate!: () => void;
  let began!: (version: string) => void;
  const started = new Promise<string>((resolve) => (began = resolve));
  global.createGate = { started: (version) => began(version), open: new Promise((resolve) => (openGate = resolve)) };

  await writeFile(gateway.configPath, config("w2"));
  const first = gateway.runtime.reload("admin");
  expect(await started).toBe("w2");
  // The reload has read w2 and is creating its provider: these edits and triggers come too late for it.
  await writeFile(gateway.configPath, config("w3"));
  const before = gateway.runtime.reloads.length;
  const later = [gateway.runtime.reload("watch"), gateway.runtime.reload("signal"), gateway.runtime.reload("admin")];
  openGate();

  expect((await first).result).toBe("applied");
  const reports = await Promise.all(later);
  expect(reports.map((r) => r.result)).toEqual(["applied", "applied", "applied"]);
  expect(new Set(reports).size).toBe(1); // all three share the one reload queued behind the first
  expect(gateway.runtime.reloads.length - before).toBe(2);
  expect(await answer(gateway)).toBe("w3");
});
