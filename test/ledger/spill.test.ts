// A gateway stopping while its database is gone keeps the rows it could not write in a file, and
// the next to open the ledger writes them first: every answered request is charged, once.

import { expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger } from "../../core/ledger/index.ts";
import { createLedger } from "../../core/ledger/ledger.ts";
import { openSqlite } from "../../core/ledger/sqlite.ts";
import { requestRecord } from "./suite.ts";

test("rows a closing ledger cannot write are kept in a file, written by the next ledger to serve, and charged once", async () => {
  const folder = mkdtempSync(join(tmpdir(), "switchyard-spill-"));
  const storage = `sqlite:${join(folder, "ledger.db")}`;
  const setup = await openLedger(storage);
  const { record: key } = await setup.keys.create({ name: "team", creditLimit: 1_000_000 });
  expect(await setup.reserve(key.id, 300)).not.toBeNull();
  await setup.close();

  // The database goes away as the gateway stops, after the requests were answered.
  const driver = openSqlite(join(folder, "ledger.db"));
  let down = false;
  const write = driver.writeBatch.bind(driver);
  driver.writeBatch = (rows) => (down ? Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")) : write(rows));
  const errors: string[] = [];
  const log = { info() {}, warn() {}, error: (message: string) => void errors.push(message) };
  const ledger = createLedger(driver, { spillDir: folder, closeRetryMs: 50, log });
  down = true;
  const rows = [1, 2, 3].map((n) => requestRecord({ id: `gen-spill-${n}`, keyId: key.id, cost: 80, fee: 20, reservation: { keyId: key.id, amount: 100 } }));
  for (const row of rows) ledger.record(row);
  await ledger.close();
  const files = readdirSync(folder).filter((name) => name.startsWith("unwritten-"));
  expect(files).toHaveLength(1);
  expect(statSync(join(folder, files[0]!)).mode & 0o777).toBe(0o600);
  expect(errors).toContain("ledger rows could not be written before shutdown; kept in a file the next start writes");

  // A copy of the file, as if the replay were cut short after writing it: nothing is charged twice.
  copyFileSync(join(folder, files[0]!), join(folder, "unwritten-1-1.jsonl"));
  const next = await openLedger(storage, { serving: true, spillDir: folder });
  for (const row of rows) expect((await next.generation(row.id))?.id).toBe(row.id);
  const charged = await next.keys.get(key.id);
  expect([charged?.spent, charged?.reserved]).toEqual([300, 0]);
  expect(readdirSync(folder).filter((name) => name.startsWith("unwritten-"))).toEqual([]);
  await next.close();
});
