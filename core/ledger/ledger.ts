// The ledger built on a dialect driver: queued writes, reservations, keys, lookups and retention.

import { errors } from "../errors.ts";
import type { KitLogger } from "../kit/kit.ts";
import type { LedgerDriver } from "./driver.ts";
import { createKeyStore } from "./key-store.ts";
import { mergeUsage, toGeneration, toRequestRow } from "./rows.ts";
import type { Ledger, LedgerOptions, RequestRecord } from "./types.ts";
import { WriteQueue } from "./write-queue.ts";

const silent: KitLogger = { info() {}, warn() {}, error() {} };

export interface LedgerSettings extends LedgerOptions {
  /** Clock for key creation times and the verify cache; tests inject one. */
  now?: () => number;
  /**
   * The process opening the ledger is the one that serves it: holds left by a server that died
   * are dropped (where the dialect can tell them from live ones). A CLI command opening the same
   * SQLite file beside a running gateway must leave its holds alone.
   */
  serving?: boolean;
}

export function createLedger(driver: LedgerDriver, options: LedgerSettings = {}): Ledger {
  const log = options.log ?? silent;
  const write = (rows: readonly RequestRecord[]) => driver.writeBatch(rows);
  const refuses = (error: unknown) => driver.refuses(error);
  const queue = new WriteQueue(write, options.flushIntervalMs ?? 250, options.maxBatch ?? 500, log, refuses);
  let closed = false;

  return {
    migrate: () => driver.migrate(),
    record(row: RequestRecord) {
      if (closed) {
        log.error("ledger is closed; request row not recorded", { id: row.id });
        return;
      }
      queue.push(row);
    },
    flush: () => queue.flush(),
    writes: () => ({ unwritten: queue.unwritten, ...queue.counts }),
    async close() {
      if (closed) return;
      closed = true;
      queue.stop();
      await queue.flush();
      await driver.close();
    },
    async reserve(keyId, amount) {
      if (!Number.isSafeInteger(amount) || amount < 0) throw errors.internal(`invalid reservation amount ${amount}`);
      return (await driver.reserve(keyId, amount)) ? { keyId, amount } : null;
    },
    release: (reservation) => driver.release(reservation.keyId, reservation.amount),
    keys: createKeyStore(driver, options.now ?? Date.now),
    async generation(id) {
      // No id the gateway makes holds a NUL, and PostgreSQL refuses one in a query.
      if (id.includes("\u0000")) return null;
      const queued = queue.find(id);
      if (queued) return toGeneration(toRequestRow(queued));
      const row = await driver.request(id);
      return row ? toGeneration(row) : null;
    },
    async usage(query) {
      return mergeUsage(await driver.usage(query));
    },
    async pruneBefore(cutoffMs, batchSize = 500) {
      let removed = 0;
      for (;;) {
        const count = await driver.pruneBatch(cutoffMs, batchSize);
        removed += count;
        if (count < batchSize) return removed;
      }
    },
  };
}
