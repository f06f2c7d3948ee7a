// Rows a closing gateway could not write (its database gone at shutdown) are kept in a file, not
// lost with the process: each answered request's usage, cost and charge. The next gateway to open
// the ledger writes them before it serves. A row already stored is skipped and charged nothing
// again (the dialects settle only the rows they insert), so a file written twice costs nothing.

import { chmodSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { KitLogger } from "../kit/kit.ts";
import type { LedgerDriver } from "./driver.ts";
import { sqlitePath } from "./storage-url.ts";
import type { RequestRecord } from "./types.ts";

const SPILL_FILE = /^unwritten-\d+-\d+\.jsonl$/;
const BATCH = 500;

/** Where they are kept: beside a SQLite file, else in the config's `data` folder. */
export function spillFolder(storage: string, configPath: string): string {
  const path = sqlitePath(storage);
  return path && path !== ":memory:" ? dirname(resolve(path)) : join(dirname(resolve(configPath)), "data");
}

/** Writes `rows` to a new file in `folder`, one JSON record a line; its path. Readable by its owner alone. */
export function spillRows(folder: string, rows: readonly RequestRecord[]): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, `unwritten-${Date.now()}-${process.pid}.jsonl`);
  writeFileSync(path, rows.map((row) => JSON.stringify(row)).join("\n") + "\n", { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/**
 * Writes the rows of every spill file in `folder` and removes each file once its rows are in. A file
 * that cannot be read whole, or whose rows the database will not take, stays for the next start.
 */
export async function replaySpilled(driver: LedgerDriver, folder: string, log: KitLogger): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => SPILL_FILE.test(name)).sort();
  } catch {
    return 0;
  }
  let replayed = 0;
  for (const name of names) {
    const path = join(folder, name);
    try {
      const rows = readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as RequestRecord);
      for (let i = 0; i < rows.length; i += BATCH) await driver.writeBatch(rows.slice(i, i + BATCH));
      unlinkSync(path);
      replayed += rows.length;
      log.info("ledger rows a closing gateway could not write are written now", { file: path, rows: rows.length });
    } catch (error) {
      log.error("ledger rows kept in a file could not be written; the file stays for the next start", { file: path, error: (error as Error).message });
    }
  }
  return replayed;
}
