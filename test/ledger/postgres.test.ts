// Runs the ledger suite on PostgreSQL, each ledger in its own schema (dropped afterwards) so
// parallel runs never share tables. Set SWITCHYARD_TEST_POSTGRES to point at another server.

import { describe, it } from "bun:test";
import postgres from "postgres";
import { ledgerSuite } from "./suite.ts";

const base = process.env.SWITCHYARD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const admin = postgres(base, { max: 2, onnotice: () => {} });
const run = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const schemas: string[] = [];

const reachable = await admin`SELECT 1`.then(() => true, () => false);

if (!reachable && process.env.SWITCHYARD_REQUIRE_POSTGRES) {
  throw new Error(`SWITCHYARD_REQUIRE_POSTGRES is set but no PostgreSQL answers at ${new URL(base).host}`);
} else if (!reachable) {
  describe.skip("ledger on postgres", () => {
    it(`needs a PostgreSQL server at ${new URL(base).host}`, () => {});
  });
  await admin.end();
} else {
  ledgerSuite("postgres", {
    async freshStorage() {
      const schema = `${run}_${schemas.length}`;
      schemas.push(schema);
      await admin.unsafe(`CREATE SCHEMA ${schema}`);
      const url = new URL(base);
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
  });
}
