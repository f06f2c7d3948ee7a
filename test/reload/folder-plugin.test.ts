// A folder plugin is all the files in its folder: an edit to a helper its index imports reloads
// the plugin with the helper's new code.

import { afterEach, expect, test } from "bun:test";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { adminReload, answerText, startGateway, type Gateway } from "../gateway/harness.ts";
import { HELPED_PROVIDER_INDEX, helperModule } from "./plugin-files.ts";

const ADMIN = "folder-plugin-admin-key";
const CONFIG = `
admin_key: "${ADMIN}"
plugins: [./plugins]
providers: { mine: { use: helped } }
models: { helped: [{ provider: mine, model: h, price: { input: 0, output: 0 } }] }
routes: [{ name: direct, to: $model }]
`;

let gateway: Gateway | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

test("an edited helper of a folder plugin is reloaded with its new code, and so is an index touched after it", async () => {
  gateway = await startGateway(CONFIG, {
    files: { "plugins/multi/index.ts": HELPED_PROVIDER_INDEX, "plugins/multi/helper.ts": helperModule("helper, first version") },
  });
  const folder = join(gateway.dir, "plugins", "multi");
  expect(await answerText(gateway, "helped")).toBe("helper, first version");

  await writeFile(join(folder, "helper.ts"), helperModule("helper, second version"));
  expect((await adminReload(gateway, ADMIN)).result).toBe("applied");
  expect(await answerText(gateway, "helped")).toBe("helper, second version");

  await writeFile(join(folder, "helper.ts"), helperModule("helper, third"));
  await writeFile(join(folder, "index.ts"), `${HELPED_PROVIDER_INDEX}// touched\n`);
  expect((await adminReload(gateway, ADMIN)).result).toBe("applied");
  expect(await answerText(gateway, "helped")).toBe("helper, third");
  expect((await adminReload(gateway, ADMIN)).result).toBe("unchanged");
});

test("a folder plugin whose helper failed to load reloads once the helper is mended, and the rest of the config with it", async () => {
  gateway = await startGateway(CONFIG, {
    files: { "plugins/multi/index.ts": HELPED_PROVIDER_INDEX, "plugins/multi/helper.ts": helperModule("helper, first version") },
  });
  const folder = join(gateway.dir, "plugins", "multi");
  for (const broken of ["export const answer = () => 'x' +;\n", 'throw new Error("helper refuses at import");\nexport const answer = () => "never";\n']) {
    await writeFile(join(folder, "helper.ts"), broken);
    const failed = await adminReload(gateway, ADMIN);
    expect(failed.result).toBe("failed");
    expect(JSON.stringify(failed)).toContain(join(folder, "helper.ts"));
    expect(JSON.stringify(failed)).not.toContain(".multi@");
    expect(await answerText(gateway, "helped")).toBe("helper, first version");
  }
  // The runtime keeps a module that failed to load cached by its path for good: mended, it is loaded all the same.
  await writeFile(join(folder, "helper.ts"), helperModule("helper, mended"));
  expect((await adminReload(gateway, ADMIN)).result).toBe("applied");
  expect(await answerText(gateway, "helped")).toBe("helper, mended");
  await writeFile(join(folder, "helper.ts"), helperModule("helper, edited again"));
  expect((await adminReload(gateway, ADMIN)).result).toBe("applied");
  expect(await answerText(gateway, "helped")).toBe("helper, edited again");
  expect((await adminReload(gateway, ADMIN)).result).toBe("unchanged");
  // One hidden copy at a time, which the plugin search passes over.
  const listed = await readdir(join(gateway.dir, "plugins"));
  expect([listed.length, listed.filter((name) => name.startsWith(".multi@")).length, listed.includes("multi")]).toEqual([2, 1, true]);
});
