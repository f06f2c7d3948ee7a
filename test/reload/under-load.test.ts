// Ten reloads that change routes while at least 200 requests are in flight at each swap: every
// request succeeds, each finishing on the snapshot it started with. The load comes from another
// process, so the client's connection pool does not compete with the gateway's.

import { afterAll, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { startFakeOpenAI } from "../fakes/openai.ts";
import { join } from "node:path";
import { startGateway } from "../gateway/harness.ts";

const fake = startFakeOpenAI({ kind: "reply", reply: { text: "ok", usage: { input: 1, output: 1 } }, delayMs: 100 });
afterAll(() => fake.close());

function config(version: number): string {
  const target = version % 2 === 0 ? "model-a" : "model-b";
  return `
providers: { up: { use: openai-compatible, base_url: "${fake.url}/v1" } }
models:
  model-a: [{ provider: up, model: a, price: { input: 1, output: 1 } }]
  model-b: [{ provider: up, model: b, price: { input: 1, output: 1 } }]
routes:
  - name: route-v${version}
    when: model == "steady"
    to: ${target}
  - name: direct
    to: $model
`;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

test("ten reloads with 200+ requests in flight at each swap lose no request", async () => {
  const gateway = await startGateway(config(0));
  const client = Bun.spawn([process.execPath, join(import.meta.dir, "load-client.ts"), gateway.url, "240"], {
    stdin: "pipe",
    stdout: "pipe",
  });
  try {
    for (let version = 1; version <= 10; version++) {
      await until(() => gateway.runtime.snapshot.inflight >= 200);
      const inflight = gateway.runtime.snapshot.inflight;
      await writeFile(gateway.configPath, config(version));
      const report = await gateway.runtime.reload("admin");
      expect(report.result).toBe("applied");
      expect(inflight).toBeGreaterThanOrEqual(200);
    }
    // Requests counted on the newest snapshot: traffic has moved onto the last table.
    await until(() => gateway.runtime.snapshot.inflight >= 200);
  } finally {
    client.stdin.end();
  }
  const { statuses, routes } = JSON.parse(await new Response(client.stdout).text()) as {
    statuses: Record<string, number>;
    routes: Record<string, number>;
  };
  await gateway.close();
  expect(Object.keys(statuses)).toEqual(["200"]);
  expect(gateway.runtime.snapshot.version).toBe(11);
  for (let version = 0; version <= 10; version++) expect(routes[`route-v${version}`]).toBeGreaterThan(0);
}, 60_000);

test("a shutdown right after a reload waits for the requests still on the table the reload retired", async () => {
  const gateway = await startGateway(config(0));
  const url = `${gateway.url}/v1/chat/completions`;
  const body = JSON.stringify({ model: "steady", messages: [{ role: "user", content: "hi" }] });
  const pending = Array.from({ length: 8 }, () => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body }));
  await until(() => gateway.runtime.snapshot.inflight === 8);
  await writeFile(gateway.configPath, config(1));
  expect((await gateway.runtime.reload("admin")).result).toBe("applied");
  expect(gateway.runtime.snapshot.inflight).toBe(0);
  expect(gateway.runtime.inflight).toBe(8);
  const stopped = gateway.close();
  const statuses = await Promise.all(pending.map(async (response) => (await response).status));
  await stopped;
  expect(statuses).toEqual(Array(8).fill(200));
});
