// SIGHUP reloads a running gateway process (the real CLI), started with the file watcher off.

import { afterAll, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnGateway } from "../gateway/process.ts";

let dir: string;
afterAll(() => rm(dir, { recursive: true, force: true }));

const config = (route: string) => `
storage: "sqlite::memory:"
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: ${route}, to: $model }]
`;

async function routeOf(url: string): Promise<string | null> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hi" }] }),
  });
  await response.arrayBuffer();
  return response.headers.get("x-switchyard-route");
}

test("SIGHUP applies an edited config to the running process", async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-sighup-"));
  const configPath = join(dir, "router.config.yaml");
  await writeFile(configPath, config("before"));
  const { child, url, waitFor } = await spawnGateway([process.execPath, "main.ts"], ["--config", configPath, "--no-watch"]);
  try {
    expect(await routeOf(url)).toBe("before");
    await writeFile(configPath, config("after"));
    child.kill("SIGHUP");
    await waitFor(/"message":"config reloaded","trigger":"signal"/);
    expect(await routeOf(url)).toBe("after");
  } finally {
    child.kill("SIGTERM");
    await child.exited;
  }
});
