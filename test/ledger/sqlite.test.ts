// Runs the ledger suite on SQLite files in a temporary folder.

import { Database } from "bun:sqlite";
import { describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger } from "../../core/ledger/index.ts";
import { ledgerSuite } from "./suite.ts";

const folder = mkdtempSync(join(tmpdir(), "switchyard-ledger-"));
let count = 0;

ledgerSuite("sqlite", {
  async freshStorage() {
    count += 1;
    return `sqlite:${join(folder, `ledger-${count}.db`)}`;
  },
  async keysTableText(storage) {
    const db = new Database(storage.slice("sqlite:".length), { readonly: true });
    try {
      return JSON.stringify(db.query("SELECT * FROM keys").all());
    } finally {
      db.close();
    }
  },
  async cleanup() {
    rmSync(folder, { recursive: true, force: true });
  },
});

describe("ledger on sqlite, single process", () => {
  it("drops reservations left by a previous process when it opens", async () => {
    const storage = `sqlite:${join(folder, "restart.db")}`;
    const before = await openLedger(storage);
    const { record } = await before.keys.create({ name: "restarted", creditLimit: 1000 });
    expect(await before.reserve(record.id, 1000)).not.toBeNull();
    await before.close();
    const after = await openLedger(storage);
    expect((await after.keys.get(record.id))?.reserved).toBe(0);
    await after.close();
  });

  it("refuses a storage URL of an unknown kind", async () => {
    await expect(openLedger("mysql://db/switchyard")).rejects.toThrow('unknown storage "mysql:"');
  });
});
