// Entry of the usage ledger: opens the storage named by the config's `storage:` URL, migrates it,
// and returns the one Ledger interface whichever dialect backs it.
//
// PostgreSQL caveat: several instances share the keys table, so a crashed instance's reservations
// cannot be told apart from live ones and are not reset on start; they stay held until released
// (`keys release`). A SQLite file's gateways run on one machine, each noted in the file while it
// serves: a starting gateway resets every `reserved` to 0 when no other is alive (not when a CLI
// command opens the file, nor beside a second gateway on the same file).

import { errors } from "../errors.ts";
import type { LedgerDriver } from "./driver.ts";
import { createLedger, silent, type LedgerSettings } from "./ledger.ts";
import { replaySpilled } from "./spill.ts";
import { openSqlite } from "./sqlite.ts";
import { sqlitePath } from "./storage-url.ts";
import type { Ledger } from "./types.ts";

export type * from "./types.ts";
export type { LedgerSettings } from "./ledger.ts";

/**
 * `sqlite:./data/switchyard.db`, `sqlite::memory:`, or `postgres://user@host:5432/db`. The PostgreSQL
 * driver is loaded only for a PostgreSQL storage: with its Drizzle dialect it kept 0.8 MB alive in a
 * SQLite gateway, and the engine lets garbage pile up in proportion to what is alive (bench/README.md).
 */
export async function openDriver(storage: string): Promise<LedgerDriver> {
  const path = sqlitePath(storage);
  if (path !== undefined) {
    if (!path) throw errors.badRequest(`storage "${storage}" names no SQLite file`);
    return openSqlite(path);
  }
  if (storage.startsWith("postgres://") || storage.startsWith("postgresql://")) return (await import("./postgres.ts")).openPostgres(storage);
  throw errors.badRequest(`unknown storage "${storage.split(":")[0]}:"; use sqlite:PATH or postgres://...`);
}

export async function openLedger(storage: string, options: LedgerSettings = {}): Promise<Ledger> {
  const driver = await openDriver(storage);
  try {
    await driver.migrate();
    if (options.serving) {
      await driver.startServing?.();
      if (options.spillDir) await replaySpilled(driver, options.spillDir, options.log ?? silent);
    }
  } catch (error) {
    await driver.close().catch(() => {});
    throw errors.internal(`could not open storage: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  return createLedger(driver, options);
}
