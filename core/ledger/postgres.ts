// The PostgreSQL driver, for several gateway instances sharing one database: Drizzle over postgres.js
// for the schema's rare queries, plain postgres.js statements (postgres-statements.ts) for the
// per-request ones (batch writes, reserve, release).

import { asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { KeyRow, LedgerDriver } from "./driver.ts";
import { MIGRATIONS_TABLE, postgresMigrations } from "./migrations/index.ts";
import { postgresStatements } from "./postgres-statements.ts";
import { rollUp, type RawUsage } from "./rows.ts";
import { dailyRollups, keys, requests } from "./schema-postgres.ts";
import { ROLLUP_ADD, rollupUsageSql, rowUsageSql } from "./usage-sql.ts";

const DAY = sql`to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

/** `url` may carry connection parameters as query string, e.g. `?search_path=tenant_a`. */
export function openPostgres(url: string): LedgerDriver {
  // A database coming back after an outage: a connection attempt that hangs is given up in 5 s, not
  // the driver's 30, so a request waiting on it gets its 503 (storage_unavailable) while it is young.
  const client = postgres(url, { max: 10, connect_timeout: 5, onnotice: () => {} });
  const db = drizzle({ client });
  const first = <T>(rows: T[]): T | null => rows[0] ?? null;
  const statements = postgresStatements(client);

  return {
    async migrate() {
      await client.begin(async (tx) => {
        // Several instances may start together: one migrates, the others wait and then see it done.
        await tx`SELECT pg_advisory_xact_lock(hashtext(${MIGRATIONS_TABLE}))`;
        await tx.unsafe(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name text PRIMARY KEY NOT NULL, applied_at bigint NOT NULL)`);
        const applied = new Set((await tx.unsafe<{ name: string }[]>(`SELECT name FROM ${MIGRATIONS_TABLE}`)).map((r) => r.name));
        for (const migration of postgresMigrations) {
          if (applied.has(migration.name)) continue;
          await tx.unsafe(migration.sql);
          await tx.unsafe(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES ($1, $2)`, [migration.name, Date.now()]);
        }
      });
    },
    writeBatch: statements.writeBatch,
    refuses: refusedByPostgres,
    reserve: statements.reserve,
    release: statements.release,
    async insertKey(row) {
      await db.insert(keys).values(row);
    },
    async listKeys() {
      return db.select().from(keys).orderBy(asc(keys.createdAt), asc(keys.id));
    },
    async keyById(id) {
      return first<KeyRow>(await db.select().from(keys).where(eq(keys.id, id)));
    },
    async keyByHash(secretHash) {
      return first<KeyRow>(await db.select().from(keys).where(eq(keys.secretHash, secretHash)));
    },
    async disableKey(idOrPrefix) {
      const match = or(eq(keys.id, idOrPrefix), eq(keys.prefix, idOrPrefix));
      return first<KeyRow>(await db.update(keys).set({ disabled: true }).where(match).returning());
    },
    async releaseHolds(id) {
      return first<KeyRow>(await db.update(keys).set({ reserved: 0 }).where(eq(keys.id, id)).returning());
    },
    async request(id) {
      return first(await db.select().from(requests).where(eq(requests.id, id)));
    },
    async usage(query) {
      const live = await db.execute<RawUsage>(rowUsageSql(query, DAY));
      const rolled = await db.execute<RawUsage>(rollupUsageSql(query));
      return [...live, ...rolled];
    },
    async pruneBatch(cutoffMs, batchSize) {
      return db.transaction(async (tx) => {
        // SKIP LOCKED lets two instances prune at once without rolling the same rows up twice.
        const old = await tx.select().from(requests).where(lt(requests.createdAt, cutoffMs))
          .orderBy(asc(requests.createdAt)).limit(batchSize).for("update", { skipLocked: true });
        if (old.length === 0) return 0;
        for (const rollup of rollUp(old)) {
          await tx.insert(dailyRollups).values(rollup).onConflictDoUpdate({
            target: [dailyRollups.day, dailyRollups.keyId, dailyRollups.model, dailyRollups.provider, dailyRollups.route],
            set: ROLLUP_ADD,
          });
        }
        await tx.delete(requests).where(inArray(requests.id, old.map((r) => r.id)));
        return old.length;
      });
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/**
 * PostgreSQL's SQLSTATE classes for a row's data: 22 (data exception: a value out of range, a NUL
 * in text), 23 (integrity constraint violation) and 54 (program limit exceeded: a value too large).
 */
function refusedByPostgres(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}
