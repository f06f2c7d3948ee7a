// The SQLite driver: bun:sqlite in WAL mode; Drizzle for the schema's rare queries, prepared
// statements (sqlite-statements.ts) for the per-request ones. One process owns the file, so every
// statement is atomic by construction and transactions are synchronous.

import { Database } from "bun:sqlite";
import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { KeyRow, LedgerDriver } from "./driver.ts";
import { MIGRATIONS_TABLE, sqliteMigrations } from "./migrations/index.ts";
import { rollUp, type RawUsage, type RequestRow } from "./rows.ts";
import { dailyRollups, keys, requests } from "./schema-sqlite.ts";
import { prepareSqliteStatements, type SqliteStatements } from "./sqlite-statements.ts";
import { ROLLUP_ADD, rollupUsageSql, rowUsageSql } from "./usage-sql.ts";

const DAY = sql`strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')`;

export function openSqlite(path: string): LedgerDriver {
  if (path !== ":memory:") {
    // Key hashes and every request's usage: for its owner's eyes. SQLite gives its -wal and -shm
    // files the database file's mode; an existing file keeps the mode its owner gave it.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "a", 0o600));
  }
  const client = new Database(path, { create: true, strict: true });
  if (path !== ":memory:") client.run("PRAGMA journal_mode = WAL");
  client.run("PRAGMA busy_timeout = 5000");
  client.run("PRAGMA synchronous = NORMAL");
  const db = drizzle({ client });

  const firstKey = (rows: KeyRow[]) => rows[0] ?? null;
  // Prepared on first use, once the tables exist (openLedger migrates before anything else).
  let statements: SqliteStatements | null = null;
  const prepared = () => (statements ??= prepareSqliteStatements(client));
  /** This gateway's entry among the file's serving processes, while it serves. */
  let serving: string | null = null;

  return {
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
      prepared().writeBatch(records);
    },
    refuses: refusedBySqlite,
    async reserve(keyId, amount) {
      return prepared().reserve(keyId, amount);
    },
    async release(keyId, amount) {
      prepared().release(keyId, amount);
    },
    async startServing() {
      const me = { id: randomUUID(), host: hostname(), pid: process.pid };
      client.transaction(() => {
        const others = client.query<{ id: string; host: string; pid: number }, []>("SELECT id, host, pid FROM serving_processes").all();
        // One on another machine (a shared volume) cannot be asked: it counts as alive.
        const dead = others.filter((other) => other.host === me.host && !isAlive(other.pid));
        for (const gone of dead) client.query("DELETE FROM serving_processes WHERE id = ?").run(gone.id);
        if (dead.length === others.length) db.update(keys).set({ reserved: 0 }).run();
        client.query("INSERT INTO serving_processes (id, host, pid, started_at) VALUES (?, ?, ?, ?)").run(me.id, me.host, me.pid, Date.now());
      }).immediate();
      serving = me.id;
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
    async releaseHolds(id) {
      return firstKey(db.update(keys).set({ reserved: 0 }).where(eq(keys.id, id)).returning().all());
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
      if (serving) client.query("DELETE FROM serving_processes WHERE id = ?").run(serving);
      statements?.finalize();
      statements = null;
      client.close();
    },
  };
}

/**
 * Whether a process of this machine is running: signal 0 tests without sending (EPERM: another
 * user's, alive). A killed one its parent has not reaped yet still takes the signal: Linux's /proc
 * says it is a zombie.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** SQLite's result codes for a row's data: a constraint it breaks, a value too big or of the wrong type. */
function refusedBySqlite(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_CONSTRAINT") || code === "SQLITE_TOOBIG" || code === "SQLITE_MISMATCH");
}
