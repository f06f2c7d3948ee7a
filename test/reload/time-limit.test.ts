// A plugin that never finishes (a `create`, or a module's top-level await) fails its reload within
// the time limit, naming the plugin and the hook; the old table keeps serving and reloads go on.

import { afterEach, expect, test } from "bun:test";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { check } from "../../core/cli/check.ts";
import { createKit } from "../../core/kit/kit.ts";
import { createLogger } from "../../core/log.ts";
import { builtinPlugins } from "../../plugins/builtin.ts";
import { adminReload, chatBody, postJson, startGateway, writeConfigDir, type Gateway } from "../gateway/harness.ts";
import { STUCK_MODULE, STUCK_PROVIDER } from "./plugin-files.ts";

const ADMIN = "time-limit-admin-key";
const ECHO_ONLY = `
admin_key: "${ADMIN}"
plugins: [./plugins]
providers: { demo: { use: echo } }
models:
  echo: [{ provider: demo, model: echo, price: { input: 0, output: 0 } }]
routes: [{ name: direct, to: $model }]
`;
const WITH_STUCK = ECHO_ONLY.replace("providers: { demo: { use: echo } }", "providers: { demo: { use: echo }, slow: { use: stuck } }");

let gateway: Gateway | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

async function echoStatus(g: Gateway): Promise<number> {
  const response = await postJson(`${g.url}/v1/chat/completions`, chatBody("echo", "ping"));
  await response.arrayBuffer();
  return response.status;
}

test("a create that never settles fails POST /admin/reload by plugin and hook, and the next reload still runs", async () => {
  gateway = await startGateway(ECHO_ONLY, { files: { "plugins/stuck.ts": STUCK_PROVIDER }, pluginTimeLimitMs: 50 });
  await writeFile(gateway.configPath, WITH_STUCK);
  const failed = await adminReload(gateway, ADMIN);
  expect(failed.result).toBe("failed");
  // Placed at the provider's entry in the config, as every other diagnostic is.
  expect(failed.diagnostics).toEqual([
    `${gateway.configPath}:4:48 invalid-plugin: provider "slow": plugin "stuck": create did not finish within 50ms\n  4 | providers: { demo: { use: echo }, slow: { use: stuck } }\n    |                                                ^^^^^`,
  ]);
  expect(await echoStatus(gateway)).toBe(200);
  expect(gateway.runtime.snapshot.version).toBe(1);

  await writeFile(gateway.configPath, ECHO_ONLY.replace("name: direct", "name: renamed"));
  expect((await adminReload(gateway, ADMIN)).result).toBe("applied");
});

test("a plugin module whose top-level await never settles fails the reload, naming its file", async () => {
  gateway = await startGateway(ECHO_ONLY, { files: { "plugins/": "" }, pluginTimeLimitMs: 50 });
  await writeFile(join(gateway.dir, "plugins", "never.ts"), STUCK_MODULE);
  const failed = await adminReload(gateway, ADMIN);
  expect(failed.result).toBe("failed");
  const text = failed.diagnostics.join("\n");
  expect(text).toContain("never.ts");
  expect(text).toContain("failed to load: import did not finish within 50ms");
  expect(await echoStatus(gateway)).toBe(200);
});

test("switchyard check fails with the time limit's diagnostic instead of waiting for a create that never settles", async () => {
  const { dir, configPath } = await writeConfigDir(WITH_STUCK, { "plugins/stuck.ts": STUCK_PROVIDER });
  const log = createLogger({ write: () => {} });
  let err = "";
  try {
    const code = await check({
      configPath,
      builtins: builtinPlugins,
      env: {},
      kit: createKit({ log }),
      log,
      out: () => {},
      err: (text) => void (err += text),
      readInput: () => Promise.resolve(""),
      pluginTimeLimitMs: 50,
    });
    expect(code).toBe(1);
    expect(err).toContain('provider "slow": plugin "stuck": create did not finish within 50ms');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
