// Runs the ledger suite on SQLite files in a temporary folder.

import { describe, expect, it } from "bun:test";
import { openLedger } from "../../core/ledger/index.ts";
import { sqliteStorage } from "../storages.ts";
import { ledgerSuite } from "./suite.ts";

const storage = sqliteStorage();
ledgerSuite("sqlite", storage);

describe("ledger on sqlite, single process", () => {
  it("drops reservations left by a previous process when it opens", async () => {
    const url = await storage.fresh();
    const before = await openLedger(url);
    const { record } = await before.keys.create({ name: "restarted", creditLimit: 1000 });
    expect(await before.reserve(record.id, 1000)).not.toBeNull();
    await before.close();
    const after = await openLedger(url);
    expect((await after.keys.get(record.id))?.reserved).toBe(0);
    await after.close();
  });

  it("refuses a storage URL of an unknown kind", async () => {
    await expect(openLedger("mysql://db/switchyard")).rejects.toThrow('unknown storage "mysql:"');
  });
});
