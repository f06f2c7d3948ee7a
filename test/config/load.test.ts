// loadConfig reads a file from disk; a missing file is a diagnostic, not an exception.

import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../core/config/load.ts";
import { testCatalog } from "./catalog.ts";

test("loadConfig compiles the file and names it in diagnostics", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-config-"));
  try {
    const file = join(dir, "router.config.yaml");
    writeFileSync(file, "sever: {}\n");
    const result = await loadConfig(file, { env: {}, plugins: testCatalog });
    expect(result.text).toBe("sever: {}\n");
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([["unknown-key", file]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("loadConfig reports an unreadable file as file-unreadable", async () => {
  const result = await loadConfig(join(tmpdir(), "switchyard-no-such-dir", "router.config.yaml"), { env: {}, plugins: testCatalog });
  expect(result.graph).toBeNull();
  expect(result.diagnostics[0]?.code).toBe("file-unreadable");
});
