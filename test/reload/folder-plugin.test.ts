// A folder plugin is all the files in its folder: an edit to a helper its index imports reloads
// the plugin with the helper's new code.

import { afterEach, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
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
