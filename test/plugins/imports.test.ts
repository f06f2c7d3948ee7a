// DESIGN.md: plugins never import core internals, only the plugin kit's types; the built-in ones
// are held to that contract, so that a plugin copied from one loads anywhere, the single binary too.

import { expect, test } from "bun:test";
import { Glob } from "bun";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");

test("every plugin file imports from outside its plugin's folder only the kit's types", async () => {
  const offences: string[] = [];
  for (const folder of ["plugins", "examples"]) {
    for await (const file of new Glob("**/*.ts").scan({ cwd: join(ROOT, folder) })) {
      const text = await Bun.file(join(ROOT, folder, file)).text();
      for (const [statement] of text.matchAll(/^import\s[^;]*?from\s+"[^"]+";/gms)) {
        const from = statement.match(/from\s+"([^"]+)"/)![1]!;
        const local = from.startsWith("./");
        const typesOnly = /^import\s+type\s/.test(statement);
        if (!local && !typesOnly) offences.push(`${folder}/${file}: ${statement.replace(/\s+/g, " ")}`);
      }
    }
  }
  expect(offences).toEqual([]);
});
