// The storage backends every ledger-touching test runs against: SQLite files and the real
// PostgreSQL (each test database in its own schema, dropped afterwards).

import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

export interface TestStorage {
  name: "sqlite" | "postgres";
  /** A storage URL for an empty database. */
  fresh(): Promise<string>;
  /** Every row of the keys table, as stored, serialised to text (to show no secret is kept). */
  keysTableText(storage: string): Promise<string>;
  cleanup(): Promise<void>;
}

const PG_URL = process.env.SWITCHYARD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

export function sqliteStorage(): TestStorage {
  const folder = mkdtempSync(join(tmpdir(), "switchyard-db-"));
  let count = 0;
  return {
    name: "sqlite",
    fresh: async () => `sqlite:${join(folder, `db-${++count}.db`)}`,
    async keysTableText(storage) {
      const db = new Database(storage.slice("sqlite:".length), { readonly: true });
      try {
        return JSON.stringify(db.query("SELECT * FROM keys").all());
      } finally {
        db.close();
      }
    },
    cleanup: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

export async function postgresStorage(): Promise<TestStorage | null> {
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  const reachable = await admin`SELECT 1`.then(() => true, () => false);
  if (!reachable) {
    await admin.end();
    if (process.env.SWITCHYARD_REQUIRE_POSTGRES) throw new Error(`no PostgreSQL answers at ${new URL(PG_URL).host}`);
    return null;
  }
  const run = `g_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const schemas: string[] = [];
  return {
    name: "postgres",
    async fresh() {
      const schema = `${run}_${schemas.length}`;
      schemas.push(schema);
      await admin.unsafe(`CREATE SCHEMA ${schema}`);
      const url = new URL(PG_URL);
      url.searchParams.set("search_path", schema);
      return url.toString();
    },
    async keysTableText(storage) {
      const schema = new URL(storage).searchParams.get("search_path");
      return JSON.stringify(await admin.unsafe(`SELECT * FROM ${schema}.keys`));
    },
    async cleanup() {
      for (const schema of schemas) await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** SQLite always; PostgreSQL when it answers (required in CI). */
export async function testStorages(): Promise<TestStorage[]> {
  const pg = await postgresStorage();
  return pg ? [sqliteStorage(), pg] : [sqliteStorage()];
}
