// SIGHUP reloads a running gateway process (the real CLI), started with the file watcher off.

import { afterAll, expect, test } from "bun:test";
import { rm, writeFile } from "node:fs/promises";
import { chatBody, postJson, writeConfigDir } from "../gateway/harness.ts";
import { spawnGateway } from "../gateway/process.ts";

const config = (route: string) => `
storage: "sqlite::memory:"
providers: { demo: { use: echo } }
models: { echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }] }
routes: [{ name: ${route}, to: $model }]
`;

const { dir, configPath } = await writeConfigDir(config("before"));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function routeOf(url: string): Promise<string | null> {
  const response = await postJson(`${url}/v1/chat/completions`, chatBody("echo", "hi"));
  await response.arrayBuffer();
  return response.headers.get("x-switchyard-route");
}

test("SIGHUP applies an edited config to the running process", async () => {
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
