// The file watcher outlives its files: a plugin folder replaced by a deploy is watched again, and a
// config file replaced by an editor's rename-save keeps being picked up.

import { afterEach, expect, test } from "bun:test";
import { cp, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { answerText, startGateway, type Gateway } from "../gateway/harness.ts";
import { cannedProvider } from "./plugin-files.ts";

const config = (suffix: string) => `
plugins: [./plugins]
providers: { mine: { use: canned, suffix: "${suffix}" } }
models: { canned: [{ provider: mine, model: c, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`;

let gateway: Gateway | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

/** Waits, reload by reload, until the gateway answers `expected` (a save may take several reloads). */
async function untilAnswer(g: Gateway, expected: string): Promise<void> {
  for (;;) {
    const reloaded = new Promise<void>((resolve) => {
      const off = g.runtime.onReload((report) => {
        if (report.result === "unchanged") return;
        off();
        resolve();
      });
    });
    if ((await answerText(g, "canned")) === expected) return;
    await reloaded;
  }
}

test("a plugin folder deleted and copied back from a backup is watched again: later edits in it reload", async () => {
  gateway = await startGateway(config(""), {
    watch: true,
    files: { "plugins/canned.ts": cannedProvider("first version"), "backup/canned.ts": cannedProvider("second version") },
  });
  const plugins = join(gateway.dir, "plugins");
  await rm(plugins, { recursive: true, force: true });
  await cp(join(gateway.dir, "backup"), plugins, { recursive: true });
  await untilAnswer(gateway, "second version");

  await writeFile(join(plugins, "canned.ts"), cannedProvider("third version, edited in the new folder"));
  await untilAnswer(gateway, "third version, edited in the new folder");
});

test("a config file replaced by rename, as editors save, is reloaded each time", async () => {
  gateway = await startGateway(config(""), { watch: true, files: { "plugins/canned.ts": cannedProvider("canned") } });
  for (const suffix of [" once", " twice"]) {
    const saved = join(gateway.dir, `.router.config.yaml.${suffix.trim()}~`);
    await writeFile(saved, config(suffix));
    await rename(saved, gateway.configPath);
    await untilAnswer(gateway, `canned${suffix}`);
  }
});
