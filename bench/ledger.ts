// Ledger write-path micro-benchmark: µs per record() and rows/s flushed, on SQLite and PostgreSQL,
// for the ledger's own batch writer next to a Drizzle query-builder baseline (the writer it replaced).
// Run with `bun bench/ledger.ts [--rows 20000] [--postgres postgres://user@127.0.0.1:5432/db]`.

import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { drizzle as drizzleSqlite } from "drizzle-orm/bun-sqlite";
import postgres from "postgres";
import type { LedgerDriver } from "../core/ledger/driver.ts";
import { openDriver } from "../core/ledger/index.ts";
import { createLedger } from "../core/ledger/ledger.ts";
import { chunked, settlements, toRequestRow } from "../core/ledger/rows.ts";
import * as pgSchema from "../core/ledger/schema-postgres.ts";
import * as liteSchema from "../core/ledger/schema-sqlite.ts";
import type { RequestRecord } from "../core/ledger/types.ts";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "20000" },
    postgres: { type: "string", default: process.env.SWITCHYARD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test" },
  },
});
const ROWS = Number(args.rows);
const RUNS = 3;
const KEYS = 8;

type Writer = (driver: LedgerDriver, storage: string) => { writeBatch: LedgerDriver["writeBatch"]; close(): Promise<void> };

/** The batch write as it was built with Drizzle's query builder, kept here only as the baseline. */
const drizzleSqliteWriter: Writer = (_driver, storage) => {
  const client = new Database(storage.slice("sqlite:".length));
  client.run("PRAGMA busy_timeout = 5000");
  client.run("PRAGMA synchronous = NORMAL");
  const db = drizzleSqlite({ client });
  const { keys, requests } = liteSchema;
  return {
    async writeBatch(records) {
      const rows = records.map(toRequestRow);
      db.transaction((tx) => {
        for (const part of chunked(rows)) tx.insert(requests).values(part).onConflictDoNothing().run();
        for (const [keyId, change] of settlements(records)) {
          tx.update(keys).set({ spent: sql`${keys.spent} + ${change.spent}`, reserved: sql`max(${keys.reserved} - ${change.release}, 0)` })
            .where(eq(keys.id, keyId)).run();
        }
      });
    },
    close: async () => client.close(),
  };
};

const drizzlePostgresWriter: Writer = (_driver, storage) => {
  const client = postgres(storage, { max: 2, onnotice: () => {} });
  const db = drizzlePostgres({ client });
  const { keys, requests } = pgSchema;
  return {
    async writeBatch(records) {
      const rows = records.map(toRequestRow);
      const changes = [...settlements(records)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      await db.transaction(async (tx) => {
        for (const part of chunked(rows)) await tx.insert(requests).values(part).onConflictDoNothing();
        for (const [keyId, change] of changes) {
          await tx.update(keys).set({ spent: sql`${keys.spent} + ${change.spent}`, reserved: sql`greatest(${keys.reserved} - ${change.release}, 0)` })
            .where(eq(keys.id, keyId));
        }
      });
    },
    close: () => client.end({ timeout: 5 }),
  };
};

let serial = 0;
function records(count: number, keyIds: string[]): RequestRecord[] {
  return Array.from({ length: count }, (_, i) => {
    serial += 1;
    const keyId = keyIds[i % keyIds.length]!;
    return {
      id: `gen-bench-${serial}`, keyId, route: "direct", requestedModel: "claude-sonnet", model: "claude-sonnet",
      provider: "anthropic", endpoint: "anthropic/claude-sonnet-4-5", status: 200, errorCode: null,
      attempts: [{ endpoint: "anthropic/claude-sonnet-4-5", status: 200, duration_ms: 840, error: null }],
      stream: true, usage: { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1000 },
      cost: 7_500_000, fee: 375_000, latencyMs: 900, ttftMs: 210, createdAt: Date.now(),
      reservation: { keyId, amount: 1000 },
    };
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One ledger over a fresh database; `writer` swaps in the baseline batch write when given. */
interface Result {
  usPerRecord: number;
  rowsPerSecond: number;
  /** This process's CPU (user + system, GC included) per row flushed; the database server's is not counted. */
  cpuUsPerRow: number;
}

async function measure(storage: string, writer: Writer | null): Promise<Result> {
  const driver = await openDriver(storage);
  await driver.migrate();
  const baseline = writer?.(driver, storage) ?? null;
  const ledger = createLedger(baseline ? { ...driver, writeBatch: baseline.writeBatch } : driver, { flushIntervalMs: 60_000 });
  const keyIds: string[] = [];
  for (let k = 0; k < KEYS; k++) keyIds.push((await ledger.keys.create({ name: `bench-${k}` })).record.id);
  const perRecord: number[] = [];
  const perSecond: number[] = [];
  const cpuPerRow: number[] = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const batch = records(ROWS, keyIds);
    const started = performance.now();
    for (const row of batch) ledger.record(row);
    const recorded = performance.now();
    const cpu = process.cpuUsage();
    await ledger.flush();
    const used = process.cpuUsage(cpu);
    const flushed = performance.now();
    if (run === 0) continue; // warm-up: statement caches, JIT
    perRecord.push(((recorded - started) * 1000) / ROWS);
    perSecond.push(ROWS / ((flushed - recorded) / 1000));
    cpuPerRow.push((used.user + used.system) / ROWS);
  }
  await ledger.close();
  await baseline?.close();
  return { usPerRecord: median(perRecord), rowsPerSecond: median(perSecond), cpuUsPerRow: median(cpuPerRow) };
}

async function postgresStorage(): Promise<{ storage: string; drop(): Promise<void> } | null> {
  const admin = postgres(args.postgres, { max: 1, onnotice: () => {} });
  if (!(await admin`SELECT 1`.then(() => true, () => false))) {
    await admin.end();
    return null;
  }
  const schema = `bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  const url = new URL(args.postgres);
  url.searchParams.set("search_path", schema);
  return {
    storage: url.toString(),
    async drop() {
      await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

const table: string[][] = [["dialect", "batch writer", "µs / record()", "rows/s flushed", "gateway CPU µs / row flushed"]];
const row = (dialect: string, name: string, r: Result) =>
  table.push([dialect, name, r.usPerRecord.toFixed(3), Math.round(r.rowsPerSecond).toLocaleString("en-US"), r.cpuUsPerRow.toFixed(1)]);

const folder = mkdtempSync(join(tmpdir(), "switchyard-bench-ledger-"));
try {
  row("sqlite", "drizzle (baseline)", await measure(`sqlite:${join(folder, "baseline.db")}`, drizzleSqliteWriter));
  row("sqlite", "ledger", await measure(`sqlite:${join(folder, "ledger.db")}`, null));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
for (const writer of [drizzlePostgresWriter, null]) {
  const pg = await postgresStorage();
  if (!pg) {
    table.push(["postgres", "-", "-", "no server at", new URL(args.postgres).host]);
    break;
  }
  try {
    row("postgres", writer ? "drizzle (baseline)" : "ledger", await measure(pg.storage, writer));
  } finally {
    await pg.drop();
  }
}

const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
console.log(`ledger write path, ${ROWS.toLocaleString("en-US")} rows per run, median of ${RUNS} runs, ${KEYS} keys, 500-row batches`);
for (const [i, r] of table.entries()) {
  console.log(r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
