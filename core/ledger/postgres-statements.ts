// The PostgreSQL statements on the request and write paths, in postgres.js directly: the batch write
// (one multi-row INSERT, one charge per key, one transaction) and reserve/release. Their text never
// changes, so each connection prepares each statement once, whatever the batch size.

import type { Sql } from "postgres";
import { COLUMN_NAMES, fillRequestValues, REQUEST_COLUMNS, type ColumnValue } from "./request-columns.ts";
import { settlements } from "./rows.ts";
import type { RequestRecord } from "./types.ts";

// unnest() of one array per column: a single bound parameter per column whatever the row count,
// where VALUES lists would make a new statement (and a new server-side plan) for every batch size.
const INSERT = `INSERT INTO requests (${COLUMN_NAMES})
  SELECT * FROM unnest(${REQUEST_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})
  ON CONFLICT (id) DO NOTHING RETURNING id`;

export interface PostgresStatements {
  /** One transaction; a row whose id is already stored is skipped and charges nothing, so a retry is harmless. */
  writeBatch(records: readonly RequestRecord[]): Promise<void>;
  reserve(keyId: string, amount: number): Promise<boolean>;
  release(keyId: string, amount: number): Promise<void>;
}

const ESCAPED = /["\\]/g;

/** One value as an element of a PostgreSQL array literal; strings always quoted, so "NULL" stays text. */
function element(value: ColumnValue): string {
  if (value === null) return "NULL";
  if (typeof value !== "string") return String(value);
  return `"${value.includes('"') || value.includes("\\") ? value.replace(ESCAPED, "\\$&") : value}"`;
}

/**
 * The batch as one array literal per column, built here rather than by postgres.js's array
 * serializer, which runs two regex replaces on every value; the server parses them by the casts.
 */
function columnsOf(records: readonly RequestRecord[]): string[] {
  const values: ColumnValue[] = new Array(REQUEST_COLUMNS.length).fill(null);
  const literals: string[] = new Array(REQUEST_COLUMNS.length).fill("{");
  for (let row = 0; row < records.length; row++) {
    fillRequestValues(records[row]!, values);
    const separator = row === 0 ? "" : ",";
    for (let column = 0; column < values.length; column++) literals[column] += separator + element(values[column]!);
  }
  for (let column = 0; column < literals.length; column++) literals[column] += "}";
  return literals;
}

/** The records whose rows were inserted now, not already stored (by an earlier attempt, or earlier in the batch). */
function insertedOf(records: readonly RequestRecord[], ids: readonly { id: string }[]): readonly RequestRecord[] {
  if (ids.length === records.length) return records;
  const inserted = new Set(ids.map((row) => row.id));
  // delete() is true once per id, so only the first record of an id in the batch counts.
  return records.filter((record) => inserted.delete(record.id));
}

export function postgresStatements(sql: Sql): PostgresStatements {
  return {
    async writeBatch(records) {
      if (records.length === 0) return;
      const params = columnsOf(records);
      await sql.begin(async (tx) => {
        const ids = await tx.unsafe<{ id: string }[]>(INSERT, params, { prepare: true });
        // Keys in id order so two instances' batches cannot deadlock; sent pipelined, one round trip.
        const changes = [...settlements(insertedOf(records, ids))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        await Promise.all(changes.map(([keyId, change]) =>
          tx`UPDATE keys SET spent = spent + ${change.spent}, reserved = greatest(reserved - ${change.release}, 0)
            WHERE id = ${keyId}`));
      });
    },
    async reserve(keyId, amount) {
      // PostgreSQL re-checks the WHERE against the latest row version, so parallel calls never overspend.
      const updated = await sql`UPDATE keys SET reserved = reserved + ${amount}
        WHERE id = ${keyId} AND NOT disabled AND (credit_limit IS NULL OR spent + reserved + ${amount} <= credit_limit)
        RETURNING id`;
      return updated.length === 1;
    },
    async release(keyId, amount) {
      await sql`UPDATE keys SET reserved = greatest(reserved - ${amount}, 0) WHERE id = ${keyId}`;
    },
  };
}
