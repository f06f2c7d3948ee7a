// The SQLite statements on the request and write paths, prepared once per database: the batch
// write (insert per row, one charge per key, one transaction) and reserve/release. Building this SQL
// per batch with the query builder cost more CPU than SQLite spent writing the rows.

import type { Database } from "bun:sqlite";
import { COLUMN_NAMES, fillRequestValues, REQUEST_COLUMNS, type ColumnValue } from "./request-columns.ts";
import { settlements } from "./rows.ts";
import type { RequestRecord } from "./types.ts";

const INSERT = `INSERT INTO requests (${COLUMN_NAMES}) VALUES (${REQUEST_COLUMNS.map(() => "?").join(", ")})
  ON CONFLICT (id) DO NOTHING`;
const SETTLE = "UPDATE keys SET spent = spent + ?1, reserved = max(reserved - ?2, 0) WHERE id = ?3";
const RESERVE = `UPDATE keys SET reserved = reserved + ?1
  WHERE id = ?2 AND disabled = 0 AND (credit_limit IS NULL OR spent + reserved + ?1 <= credit_limit) RETURNING id`;
const RELEASE = "UPDATE keys SET reserved = max(reserved - ?1, 0) WHERE id = ?2";

export interface SqliteStatements {
  /** One transaction; a row whose id is already stored is skipped and charges nothing, so a retry is harmless. */
  writeBatch(records: readonly RequestRecord[]): void;
  reserve(keyId: string, amount: number): boolean;
  release(keyId: string, amount: number): void;
  finalize(): void;
}

/** Needs the migrated tables: prepare after migrate(). */
export function prepareSqliteStatements(client: Database): SqliteStatements {
  const insert = client.prepare<unknown, ColumnValue[]>(INSERT);
  const settle = client.prepare<unknown, [number, number, string]>(SETTLE);
  const reserve = client.prepare<{ id: string }, [number, string]>(RESERVE);
  const release = client.prepare<unknown, [number, string]>(RELEASE);
  const values: ColumnValue[] = new Array(REQUEST_COLUMNS.length).fill(null);

  const writeBatch = client.transaction((records: readonly RequestRecord[]) => {
    let written: RequestRecord[] | null = null;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      fillRequestValues(record, values);
      const inserted = insert.run(...values).changes === 1;
      // Only a batch with an already-stored row pays for a second list.
      if (!inserted && written === null) written = records.slice(0, i);
      else if (inserted && written !== null) written.push(record);
    }
    for (const [keyId, change] of settlements(written ?? records)) settle.run(change.spent, change.release, keyId);
  });

  return {
    writeBatch: (records) => void writeBatch(records),
    reserve: (keyId, amount) => reserve.get(amount, keyId) !== null,
    release: (keyId, amount) => void release.run(amount, keyId),
    finalize() {
      for (const statement of [insert, settle, reserve, release]) statement.finalize();
    },
  };
}
