// The SQLite driver: bun:sqlite in WAL mode behind Drizzle. One process owns the file, so every
// statement is atomic by construction and transactions are synchronous.

import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { KeyRow, LedgerDriver } from "./driver.ts";
import { MIGRATIONS_TABLE, sqliteMigrations } from "./migrations/index.ts";
import { chunked, rollUp, settlements, toRequestRow, type RawUsage, type RequestRow } from "./rows.ts";
import { dailyRollups, keys, requests } from "./schema-sqlite.ts";
import { ROLLUP_ADD, rollupUsageSql, rowUsageSql } from "./usage-sql.ts";

const DAY = sql`strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')`;

export function openSqlite(path: string): LedgerDriver {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const client = new Database(path, { create: true, strict: true });
  if (path !== ":memory:") client.run("PRAGMA journal_mode = WAL");
  client.run("PRAGMA busy_timeout = 5000");
  client.run("PRAGMA synchronous = NORMAL");
  const db = drizzle({ client });

  const firstKey = (rows: KeyRow[]) => rows[0] ?? null;

  return {
    dialect: "sqlite",
    async migrate() {
      client.run(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name text PRIMARY KEY NOT NULL, applied_at integer NOT NULL)`);
      const applied = new Set(client.query<{ name: string }, []>(`SELECT name FROM ${MIGRATIONS_TABLE}`).all().map((r) => r.name));
      for (const migration of sqliteMigrations) {
        if (applied.has(migration.name)) continue;
        client.transaction(() => {
          client.run(migration.sql);
          client.query(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)`).run(migration.name, Date.now());
        })();
      }
    },
    async writeBatch(records) {
      const rows = records.map(toRequestRow);
      db.transaction((tx) => {
        for (const part of chunked(rows)) tx.insert(requests).values(part).onConflictDoNothing().run();
        for (const [keyId, change] of settlements(records)) {
          tx.update(keys)
            .set({ spent: sql`${keys.spent} + ${change.spent}`, reserved: sql`max(${keys.reserved} - ${change.release}, 0)` })
            .where(eq(keys.id, keyId))
            .run();
        }
      });
    },
    async reserve(keyId, amount) {
      const updated = db
        .update(keys)
        .set({ reserved: sql`${keys.reserved} + ${amount}` })
        .where(and(eq(keys.id, keyId), eq(keys.disabled, false),
          or(isNull(keys.creditLimit), sql`${keys.spent} + ${keys.reserved} + ${amount} <= ${keys.creditLimit}`)))
        .returning({ id: keys.id })
        .all();
      return updated.length === 1;
    },
    async release(keyId, amount) {
      db.update(keys).set({ reserved: sql`max(${keys.reserved} - ${amount}, 0)` }).where(eq(keys.id, keyId)).run();
    },
    async resetReservations() {
      db.update(keys).set({ reserved: 0 }).run();
    },
    async insertKey(row) {
      db.insert(keys).values(row).run();
    },
    async listKeys() {
      return db.select().from(keys).orderBy(asc(keys.createdAt), asc(keys.id)).all();
    },
    async keyById(id) {
      return firstKey(db.select().from(keys).where(eq(keys.id, id)).all());
    },
    async keyByHash(secretHash) {
      return firstKey(db.select().from(keys).where(eq(keys.secretHash, secretHash)).all());
    },
    async disableKey(idOrPrefix) {
      const match = or(eq(keys.id, idOrPrefix), eq(keys.prefix, idOrPrefix));
      return firstKey(db.update(keys).set({ disabled: true }).where(match).returning().all());
    },
    async request(id) {
      return (db.select().from(requests).where(eq(requests.id, id)).all()[0] as RequestRow | undefined) ?? null;
    },
    async usage(query) {
      return [...db.all<RawUsage>(rowUsageSql(query, DAY)), ...db.all<RawUsage>(rollupUsageSql(query))];
    },
    async pruneBatch(cutoffMs, batchSize) {
      return db.transaction((tx) => {
        const old = tx.select().from(requests).where(lt(requests.createdAt, cutoffMs))
          .orderBy(asc(requests.createdAt)).limit(batchSize).all() as RequestRow[];
        if (old.length === 0) return 0;
        for (const rollup of rollUp(old)) {
          tx.insert(dailyRollups).values(rollup).onConflictDoUpdate({
            target: [dailyRollups.day, dailyRollups.keyId, dailyRollups.model, dailyRollups.provider, dailyRollups.route],
            set: ROLLUP_ADD,
          }).run();
        }
        tx.delete(requests).where(inArray(requests.id, old.map((r) => r.id))).run();
        return old.length;
      });
    },
    async close() {
      client.close();
    },
  };
}
